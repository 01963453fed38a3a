// Journal tab: stats (GET /journal/stats), the equity curve on a canvas, and the entries (GET /journal).
import { get, getToken } from "./api.js";
import { on, debounce } from "./bus.js";
import { $, el, setText, fmtPrice, fmtMoney, fmtNum, fmtPct, fmtTime, fmtSigned, signClass, niceStep } from "./ui.js";
import { drawViews, loadCalendar, initJournalViews, showReview, monthOf } from "./journal-views.js";
import { themeColor } from "./theme.js";

let curve = [];
let calendarShown = false;

const pct = (fraction) => (typeof fraction === "number" ? fmtPct(fraction * 100) : "–");
const r = (value) => (typeof value === "number" ? `${value > 0 ? "+" : ""}${fmtNum(value)}R` : "–");

function renderStats(s) {
  const cards = [
    ["Trades", `${s.trades}${s.open_trades ? ` (+${s.open_trades} open)` : ""}`, "trades"],
    ["Win rate", pct(s.win_rate), "win-rate"],
    ["Expectancy", `${r(s.expectancy_r)} · ${fmtSigned(s.expectancy)}`, "expectancy"],
    ["Profit factor", typeof s.profit_factor === "number" ? fmtNum(s.profit_factor) : "–", "profit-factor"],
    ["Total P&L", fmtSigned(s.total_pnl), "total-pnl"],
    ["Max drawdown", `${fmtMoney(s.max_drawdown)}${typeof s.max_drawdown_pct === "number" ? ` (${fmtPct(s.max_drawdown_pct)})` : ""}`, "drawdown"],
    ["Avg win / loss", `${fmtSigned(s.average_win)} / ${fmtSigned(s.average_loss)}`, "avg"],
  ];
  $("journal-stats").replaceChildren(...cards.map(([k, v, id]) => el("div", {}, el("dt", { text: k }), el("dd", { text: v, attrs: { "data-testid": `stat-${id}` } }))));
}

export function drawCurve() {
  const canvas = $("equity-chart");
  const width = canvas.clientWidth, height = canvas.clientHeight;
  if (!width || !height) return;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = themeColor("panel");
  ctx.fillRect(0, 0, width, height);
  ctx.font = "12px system-ui, sans-serif";
  ctx.fillStyle = themeColor("label");
  canvas.dataset.points = String(curve.length);
  const values = curve.map((p) => (typeof p.equity === "number" ? p.equity : p.cumulative_pnl));
  if (!values.length) {
    ctx.textAlign = "center";
    ctx.fillText("The equity curve appears after the first closed trade.", width / 2, height / 2);
    canvas.setAttribute("aria-label", "Equity curve: no closed trades yet");
    return;
  }
  const start = typeof curve[0].equity === "number" ? curve[0].equity - curve[0].pnl : 0;
  const series = [start, ...values];
  let lo = Math.min(...series), hi = Math.max(...series);
  if (hi === lo) { hi += 1; lo -= 1; }
  const step = niceStep(hi - lo, 4);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const pad = { left: 80, right: 12, top: 12, bottom: 20 };
  const w = width - pad.left - pad.right, h = height - pad.top - pad.bottom;
  const x = (i) => pad.left + (series.length === 1 ? 0 : (i / (series.length - 1)) * w);
  const y = (v) => pad.top + ((hi - v) / (hi - lo)) * h;
  ctx.strokeStyle = themeColor("subtle");
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  for (let v = lo; v <= hi + step / 2; v += step) {
    ctx.beginPath(); ctx.moveTo(pad.left, Math.round(y(v)) + 0.5); ctx.lineTo(pad.left + w, Math.round(y(v)) + 0.5); ctx.stroke();
    ctx.fillText(fmtMoney(v), pad.left - 6, y(v));
  }
  ctx.beginPath();
  series.forEach((v, i) => (i ? ctx.lineTo(x(i), y(v)) : ctx.moveTo(x(i), y(v))));
  ctx.lineTo(x(series.length - 1), y(lo)); ctx.lineTo(x(0), y(lo)); ctx.closePath();
  ctx.globalAlpha = 0.08; ctx.fillStyle = themeColor("accent"); ctx.fill(); ctx.globalAlpha = 1;
  ctx.beginPath();
  series.forEach((v, i) => (i ? ctx.lineTo(x(i), y(v)) : ctx.moveTo(x(i), y(v))));
  ctx.strokeStyle = themeColor("accent"); ctx.lineWidth = 2; ctx.stroke();
  ctx.fillStyle = themeColor("accent");
  series.forEach((v, i) => { ctx.beginPath(); ctx.arc(x(i), y(v), 2.5, 0, Math.PI * 2); ctx.fill(); });
  ctx.fillStyle = themeColor("label"); ctx.textAlign = "left"; ctx.textBaseline = "top";
  ctx.fillText(`${curve.length} closed trade${curve.length === 1 ? "" : "s"}`, pad.left, pad.top + h + 4);
  canvas.setAttribute("aria-label", `Equity curve over ${curve.length} closed trades, from ${fmtMoney(start)} to ${fmtMoney(values[values.length - 1])}`);
}

function entryRow(e) {
  return el("tr", { attrs: { "data-testid": "journal-row", "data-symbol": e.symbol, "data-status": e.status, tabindex: 0, title: "Show the trade's review" },
    on: { click: () => showReview(e.id), keydown: (event) => { if (event.key === "Enter") showReview(e.id); } } },
    el("td", { text: fmtTime(e.opened_at) }),
    el("th", { scope: "row", text: e.symbol }),
    el("td", { text: e.side }),
    el("td", { className: "num", text: fmtNum(e.quantity, 0) }),
    el("td", { className: "num", text: fmtPrice(e.entry_price) }),
    el("td", { className: "num", text: fmtPrice(e.exit_price) }),
    el("td", { className: `num ${signClass(e.pnl)}`, text: fmtSigned(e.pnl) }),
    el("td", { className: `num ${signClass(e.r_multiple)}`, text: r(e.r_multiple) }),
    el("td", {}, el("span", { className: `badge status-${e.status}`, text: e.status })),
    el("td", { text: (e.tags || []).join(", ") }),
    el("td", { className: "note", text: e.notes || "" }));
}

/** Downloads GET /journal/export.csv (fetched with the session token, saved through a blob URL). */
async function exportCSV() {
  try {
    const response = await fetch("/api/v1/journal/export.csv", { headers: { Authorization: `Bearer ${getToken()}` } });
    if (!response.ok) throw new Error(`export answered ${response.status}`);
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { attrs: { href: url, download: "journal.csv" } });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch (error) {
    setText($("journal-message"), error.message);
  }
}

export async function loadJournal() {
  try {
    const [stats, page] = await Promise.all([get("/api/v1/journal/stats"), get("/api/v1/journal", { limit: 100 })]);
    setText($("journal-message"), "");
    renderStats(stats);
    curve = stats.equity_curve || [];
    drawCurve();
    drawViews(stats);
    // The calendar opens on the month of the latest closed trade.
    if (!calendarShown) {
      calendarShown = true;
      await loadCalendar(monthOf(curve.length ? curve[curve.length - 1].time : null) || undefined);
    } else {
      await loadCalendar();
    }
    $("journal-empty").hidden = page.items.length > 0;
    $("journal-table").tBodies[0].replaceChildren(...page.items.map(entryRow));
  } catch (error) {
    setText($("journal-message"), error.detail);
  }
}

export function initJournal() {
  $("journal-refresh").addEventListener("click", loadJournal);
  initJournalViews();
  document.addEventListener("journal:imported", () => { calendarShown = false; loadJournal(); });
  $("journal-export").addEventListener("click", (event) => { event.preventDefault(); exportCSV(); });
  new ResizeObserver(() => drawCurve()).observe($("equity-chart"));
  const refresh = debounce(() => { if (!$("view-journal").hidden) loadJournal(); }, 800);
  on("ws:fill", refresh);
  on("ws:position", refresh);
  on("theme", () => drawCurve());
}
