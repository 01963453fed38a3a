// Journal views (docs/journal.md): the month calendar heatmap (GET /journal/calendar), the R
// histogram, the MAE/MFE scatter and the by-hour / by-weekday bars (from GET /journal/stats),
// the discipline flags, one trade's review (GET /journal/{id}/review), and the import with a
// dry-run diff before committing (POST /journal/import).
import { get, post, enc } from "./api.js";
import { $, el, setText, fmtPrice, fmtMoney, fmtNum, fmtSigned, signClass } from "./ui.js";
import { themeColor } from "./theme.js";
import { on } from "./bus.js";

let month = null;           // "yyyy-MM" shown in the calendar
let shownDays = null;       // the calendar's days, for a redraw in another theme
let shownReview = null;     // the trade detail's bars and review, for redraws
let stats = null;           // the last stats, for redraws
let pendingImport = null;   // {csv, format} after a clean dry run

const pad2 = (n) => String(n).padStart(2, "0");
const rText = (v) => (typeof v === "number" ? `${v > 0 ? "+" : ""}${fmtNum(v)}R` : "–");

/** The current New York month as yyyy-MM. */
function nyMonth() {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York", year: "numeric", month: "2-digit" }).formatToParts(new Date());
  return `${parts.find((p) => p.type === "year").value}-${parts.find((p) => p.type === "month").value}`;
}

function shiftMonth(text, delta) {
  let [y, m] = text.split("-").map(Number);
  m += delta;
  while (m < 1) { m += 12; y -= 1; }
  while (m > 12) { m -= 12; y += 1; }
  return `${y}-${pad2(m)}`;
}

// ---- calendar ----------------------------------------------------------------------------------

export async function loadCalendar(target = month || nyMonth()) {
  month = target;
  setText($("calendar-month"), month);
  const data = await get("/api/v1/journal/calendar", { month });
  renderCalendar(data.days || []);
}

function renderCalendar(days) {
  shownDays = days;
  const byDate = new Map(days.map((d) => [d.date, d]));
  const [y, m] = month.split("-").map(Number);
  const first = new Date(Date.UTC(y, m - 1, 1));
  const count = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;  // Monday first
  const max = Math.max(1, ...days.map((d) => Math.abs(d.pnl)));
  const cells = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map((name) => el("div", { className: "cal-head", text: name }));
  for (let i = 0; i < lead; i++) cells.push(el("div", { className: "cal-cell empty" }));
  for (let day = 1; day <= count; day++) {
    const date = `${month}-${pad2(day)}`;
    const info = byDate.get(date);
    const attrs = { "data-date": date };
    let style = "";
    let label = `${date}: no trades`;
    if (info) {
      const alpha = 0.1 + 0.3 * Math.min(1, Math.abs(info.pnl) / max);  // at most 0.4: the text keeps 4.5:1 in both themes
      style = `color-mix(in srgb, ${themeColor(info.pnl >= 0 ? "pos" : "neg")} ${Math.round(alpha * 100)}%, transparent)`;
      Object.assign(attrs, { "data-testid": "calendar-day", "data-pnl": String(info.pnl), "data-trades": String(info.trades) });
      label = `${date}: ${fmtSigned(info.pnl)}, ${info.trades} trade${info.trades === 1 ? "" : "s"}, ${rText(info.r)}`;
    }
    attrs.title = label;
    attrs["aria-label"] = label;
    const cell = el("div", { className: `cal-cell${info ? " traded" : ""}`, attrs },
      el("span", { className: "cal-date", text: String(day) }),
      info ? el("span", { className: "cal-pnl", text: fmtSigned(info.pnl) }) : el("span"),
      info ? el("span", { className: "cal-trades", text: `${info.trades} · ${rText(info.r)}` }) : el("span"));
    // Through the CSSOM: the page's CSP (style-src 'self') refuses style attributes.
    if (style) cell.style.background = style;
    cells.push(cell);
  }
  $("journal-calendar").replaceChildren(...cells);
  $("journal-calendar").dataset.days = String(days.length);
}

// ---- charts ------------------------------------------------------------------------------------

function canvasContext(canvas) {
  const width = canvas.clientWidth, height = canvas.clientHeight;
  if (!width || !height) return null;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = themeColor("panel");
  ctx.fillRect(0, 0, width, height);
  ctx.font = "11px system-ui, sans-serif";
  return { ctx, width, height };
}

/** One trade's chart: the bars of its holding period as candles, its entry, exit and stop as
 *  labelled lines, and the entry and exit moments as dashed verticals. */
function drawTradeChart(canvas, bars, review) {
  const lines = [["entry", review.entry_price, "accent"], ["exit", review.exit_price, "label"], ["stop", review.stop, "neg"]]
    .filter(([, price]) => typeof price === "number");
  canvas.dataset.bars = String(bars.length);
  canvas.dataset.lines = lines.map(([name]) => name).join(",");
  const c = canvasContext(canvas);
  if (!c) return;
  const { ctx, width, height } = c;
  const pad = { left: 8, right: 64, top: 10, bottom: 10 };
  const prices = bars.flatMap((b) => [b.h, b.l]).concat(lines.map(([, price]) => price));
  if (!prices.length) return;
  let hi = Math.max(...prices), lo = Math.min(...prices);
  if (hi === lo) { hi += 1; lo -= 1; }
  const plotW = width - pad.left - pad.right, plotH = height - pad.top - pad.bottom;
  const y = (p) => pad.top + ((hi - p) / (hi - lo)) * plotH;
  const slot = plotW / Math.max(1, bars.length);
  const x = (i) => pad.left + slot * (i + 0.5);
  bars.forEach((b, i) => {
    ctx.strokeStyle = ctx.fillStyle = themeColor(b.c >= b.o ? "pos" : "neg");
    ctx.beginPath(); ctx.moveTo(x(i), y(b.h)); ctx.lineTo(x(i), y(b.l)); ctx.stroke();
    const top = y(Math.max(b.o, b.c)), body = Math.max(1, Math.abs(y(b.o) - y(b.c)));
    ctx.fillRect(x(i) - Math.max(1, slot * 0.3), top, Math.max(2, slot * 0.6), body);
  });
  // The bar holding each moment: the last one starting at or before it.
  const at = (iso) => {
    if (!iso) return -1;
    const t = new Date(iso).getTime();
    let index = -1;
    bars.forEach((b, i) => { if (new Date(b.t).getTime() <= t) index = i; });
    return index;
  };
  ctx.setLineDash([3, 3]);
  ctx.strokeStyle = themeColor("muted");
  for (const index of [at(review.opened_at), at(review.closed_at)]) {
    if (index < 0) continue;
    ctx.beginPath(); ctx.moveTo(x(index), pad.top); ctx.lineTo(x(index), pad.top + plotH); ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.textAlign = "left"; ctx.textBaseline = "middle";
  for (const [name, price, color] of lines) {
    ctx.strokeStyle = ctx.fillStyle = themeColor(color);
    ctx.beginPath(); ctx.moveTo(pad.left, y(price)); ctx.lineTo(pad.left + plotW, y(price)); ctx.stroke();
    ctx.fillText(`${name} ${fmtPrice(price)}`, pad.left + plotW + 4, y(price));
  }
}

/** Vertical bars: items [{label, value, color}], a zero line, value labels. */
function drawBars(canvas, items, title, format = (v) => fmtNum(v, 0)) {
  canvas.dataset.bars = String(items.length);
  const c = canvasContext(canvas);
  if (!c) return;
  const { ctx, width, height } = c;
  ctx.fillStyle = themeColor("label");
  ctx.textAlign = "left"; ctx.textBaseline = "top";
  ctx.fillText(title, 6, 4);
  if (!items.length) {
    ctx.textAlign = "center"; ctx.textBaseline = "middle";
    ctx.fillText("No closed trades yet.", width / 2, height / 2);
    canvas.setAttribute("aria-label", `${title}: no closed trades yet`);
    return;
  }
  const pad = { left: 8, right: 8, top: 20, bottom: 18 };
  const w = width - pad.left - pad.right, h = height - pad.top - pad.bottom;
  const hi = Math.max(0, ...items.map((i) => i.value)), lo = Math.min(0, ...items.map((i) => i.value));
  const span = hi - lo || 1;
  const y = (v) => pad.top + ((hi - v) / span) * h;
  const slot = w / items.length, bw = Math.max(2, slot * 0.7);
  items.forEach((item, index) => {
    const x = pad.left + index * slot + (slot - bw) / 2;
    ctx.fillStyle = item.color || (item.value >= 0 ? themeColor("pos") : themeColor("neg"));
    const top = Math.min(y(item.value), y(0)), bottom = Math.max(y(item.value), y(0));
    ctx.fillRect(x, top, bw, Math.max(1, bottom - top));
    ctx.fillStyle = themeColor("label"); ctx.textAlign = "center"; ctx.textBaseline = "top";
    ctx.fillText(item.label, x + bw / 2, pad.top + h + 3);
  });
  ctx.strokeStyle = themeColor("control-border");
  ctx.beginPath(); ctx.moveTo(pad.left, Math.round(y(0)) + 0.5); ctx.lineTo(pad.left + w, Math.round(y(0)) + 0.5); ctx.stroke();
  canvas.setAttribute("aria-label", `${title}: ` + items.map((i) => `${i.label} ${format(i.value)}`).join(", "));
}

function drawScatter(canvas, points) {
  canvas.dataset.points = String(points.length);
  const c = canvasContext(canvas);
  if (!c) return;
  const { ctx, width, height } = c;
  ctx.fillStyle = themeColor("label"); ctx.textAlign = "left"; ctx.textBaseline = "top";
  ctx.fillText("MAE (x, ≤ 0) vs MFE (y, ≥ 0), in R where a stop exists, else money; green = winner", 6, 4);
  if (!points.length) {
    ctx.textAlign = "center"; ctx.textBaseline = "middle";
    ctx.fillText("No closed trades yet.", width / 2, height / 2);
    canvas.setAttribute("aria-label", "MAE/MFE scatter: no closed trades yet");
    return;
  }
  const useR = points.every((p) => typeof p.mae_r === "number");
  const xs = points.map((p) => (useR ? p.mae_r : p.mae)), ys = points.map((p) => (useR ? p.mfe_r : p.mfe));
  const xlo = Math.min(-0.01, ...xs), yhi = Math.max(0.01, ...ys);
  const pad = { left: 40, right: 10, top: 20, bottom: 20 };
  const w = width - pad.left - pad.right, h = height - pad.top - pad.bottom;
  const x = (v) => pad.left + (1 - v / xlo) * w;
  const y = (v) => pad.top + (1 - v / yhi) * h;
  ctx.strokeStyle = themeColor("subtle"); ctx.strokeRect(pad.left, pad.top, w, h);
  ctx.fillStyle = themeColor("label"); ctx.textAlign = "right"; ctx.textBaseline = "middle";
  ctx.fillText(useR ? `${fmtNum(yhi)}R` : fmtMoney(yhi), pad.left - 4, pad.top + 6);
  ctx.textAlign = "left"; ctx.textBaseline = "top";
  ctx.fillText(useR ? `${fmtNum(xlo)}R` : fmtMoney(xlo), pad.left, pad.top + h + 3);
  points.forEach((p, i) => {
    ctx.fillStyle = p.pnl > 0 ? themeColor("pos") : p.pnl < 0 ? themeColor("neg") : themeColor("muted");
    ctx.beginPath(); ctx.arc(x(xs[i]), y(ys[i]), 3.5, 0, Math.PI * 2); ctx.fill();
  });
  canvas.setAttribute("aria-label", `MAE/MFE scatter of ${points.length} trades`);
}

export function drawViews(next = stats) {
  stats = next;
  if (!stats) return;
  const bins = stats.r_histogram || [];
  drawBars($("r-histogram"), bins.map((b) => ({ label: `${fmtNum(b.from, 1)}`, value: b.trades, color: b.from >= 0 ? themeColor("pos") : themeColor("neg") })),
    "Trades per 0.5 R bin (label: bin start)");
  drawScatter($("mae-mfe"), stats.mae_mfe || []);
  const hours = Object.keys(stats.by_hour || {}).sort();
  drawBars($("by-hour"), hours.map((h) => ({ label: h, value: stats.by_hour[h].total_pnl })), "P&L by entry hour (New York)", fmtMoney);
  const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].filter((d) => stats.by_weekday && stats.by_weekday[d]);
  drawBars($("by-weekday"), days.map((d) => ({ label: d, value: stats.by_weekday[d].total_pnl })), "P&L by weekday", fmtMoney);
  renderDiscipline(stats.discipline);
}

function renderDiscipline(report) {
  const list = $("discipline-flags");
  if (!report) { list.replaceChildren(); return; }
  const items = (report.flags || []).slice(0, 50).map((f) => el("li", { attrs: { "data-testid": "discipline-flag", "data-flag": f.flag } },
    el("span", { className: "badge warn", text: f.flag.replaceAll("_", " ") }), " ",
    el("strong", { text: f.symbol }), ` ${f.detail}`, f.pnl === null ? "" : ` (${fmtSigned(f.pnl)})`));
  const after = report.what_if && report.what_if.after_losses;
  const summary = after && after.flagged_trades
    ? `Without the ${after.flagged_trades} trade(s) taken after ${report.after_losses} losses in a row: ${after.remaining_trades} trades, P&L ${fmtSigned(after.remaining_pnl)}${typeof after.remaining_expectancy_r === "number" ? `, ${rText(after.remaining_expectancy_r)} per trade` : ""}.`
    : "No trades taken after a losing streak.";
  setText($("discipline-summary"), summary);
  list.replaceChildren(...items);
}

// ---- trade review ------------------------------------------------------------------------------

export async function showReview(id) {
  const box = $("trade-review");
  box.hidden = false;
  setText($("trade-review-title"), "Loading…");
  try {
    const r = await get(`/api/v1/journal/${enc(id)}/review`);
    setText($("trade-review-title"), `${r.symbol} ${r.side} ×${fmtNum(r.quantity, 0)}${r.multiplier > 1 ? ` (×${r.multiplier})` : ""}`);
    const rows = [
      ["MAE", `${fmtSigned(r.mae)} (${rText(r.mae_r)})`], ["MFE", `${fmtSigned(r.mfe)} (${rText(r.mfe_r)})`],
      ["Planned R", rText(r.planned_r)], ["Realised R", rText(r.realized_r)],
      ["Exit efficiency", typeof r.exit_efficiency === "number" ? `${fmtNum(r.exit_efficiency * 100, 0)}%` : "–"],
      ["Entry slippage", fmtSigned(r.entry_slippage)], ["Exit slippage", fmtSigned(r.exit_slippage)],
      ["Held", r.holding_seconds === null ? "–" : `${Math.round(r.holding_seconds / 60)} min`], ["Session", r.session],
      ["Best / worst", `${fmtPrice(r.best_price)} / ${fmtPrice(r.worst_price)} (${r.excursion_source}, ${r.bars_used} bars)`],
      ["Fills", (r.fills || []).map((f) => `${f.effect} ${fmtNum(f.quantity, 0)} @ ${fmtPrice(f.price)}`).join("; ") || "–"],
    ];
    $("trade-review-body").replaceChildren(...rows.map(([k, v]) => el("div", {}, el("dt", { text: k }), el("dd", { text: v }))));
    const chart = await get(`/api/v1/journal/${enc(id)}/bars`).catch(() => ({ bars: [] }));
    shownReview = { bars: chart.bars || [], review: r };
    const canvas = $("trade-review-chart");
    canvas.setAttribute("aria-label", `${r.symbol} during the trade: ${shownReview.bars.length} bars with entry, exit and stop lines`);
    drawTradeChart(canvas, shownReview.bars, r);
  } catch (error) {
    setText($("trade-review-title"), error.detail || "The review could not be loaded.");
  }
}

// ---- import ------------------------------------------------------------------------------------

async function runImport(dryRun) {
  const message = $("import-message");
  const csv = $("import-csv").value;
  const format = $("import-format").value || undefined;
  setText(message, "");
  try {
    const report = await post("/api/v1/journal/import", { csv, format, dry_run: dryRun });
    renderImport(report);
    pendingImport = dryRun && report.new > 0 ? { csv, format } : null;
    $("import-commit").disabled = !pendingImport;
    if (!dryRun) { $("import-csv").value = ""; document.dispatchEvent(new CustomEvent("journal:imported")); }
  } catch (error) {
    pendingImport = null;
    $("import-commit").disabled = true;
    setText(message, error.detail || "The import failed.");
  }
}

function renderImport(report) {
  const diff = $("import-diff");
  diff.hidden = false;
  diff.dataset.new = String(report.new);
  diff.dataset.errors = String(report.errors.length);
  setText($("import-summary"), `${report.dry_run ? "Dry run" : "Imported"}: ${report.new} new line(s), ${report.duplicates} duplicate(s), ${report.errors.length} bad line(s), ${report.trades} trade(s) (${report.format}).`);
  $("import-errors").replaceChildren(...report.errors.slice(0, 100).map((e) => el("li", { attrs: { "data-testid": "import-error" }, text: `Line ${e.line}: ${e.message}` })));
  $("import-preview").tBodies[0].replaceChildren(...(report.preview || []).map((t) => el("tr", {},
    el("td", { text: t.symbol }), el("td", { text: t.side }), el("td", { className: "num", text: fmtNum(t.quantity, 0) }),
    el("td", { className: "num", text: fmtPrice(t.entry_price) }), el("td", { className: "num", text: fmtPrice(t.exit_price) }),
    el("td", { className: `num ${signClass(t.pnl)}`, text: fmtSigned(t.pnl) }))));
}

export function initJournalViews() {
  $("calendar-prev").addEventListener("click", () => loadCalendar(shiftMonth(month || nyMonth(), -1)).catch(() => {}));
  $("calendar-next").addEventListener("click", () => loadCalendar(shiftMonth(month || nyMonth(), 1)).catch(() => {}));
  $("import-dry-run").addEventListener("click", () => runImport(true));
  $("import-commit").addEventListener("click", () => { if (pendingImport) runImport(false); });
  $("import-file").addEventListener("change", async (event) => {
    const file = event.target.files && event.target.files[0];
    if (file) $("import-csv").value = await file.text();
  });
  $("trade-review-close").addEventListener("click", () => { $("trade-review").hidden = true; });
  new ResizeObserver(() => drawViews()).observe($("r-histogram"));
  const redrawTrade = () => { if (shownReview && !$("trade-review").hidden) drawTradeChart($("trade-review-chart"), shownReview.bars, shownReview.review); };
  on("theme", () => { drawViews(); if (shownDays) renderCalendar(shownDays); redrawTrade(); });
  new ResizeObserver(redrawTrade).observe($("trade-review-chart"));
}

/** The month of the latest closed trade (so the calendar opens where the trades are). */
export function monthOf(iso) {
  if (!iso) return null;
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York", year: "numeric", month: "2-digit" }).formatToParts(new Date(iso));
  return `${parts.find((p) => p.type === "year").value}-${parts.find((p) => p.type === "month").value}`;
}
