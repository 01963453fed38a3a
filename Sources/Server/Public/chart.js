// Price chart on a <canvas>: recent minute bars (GET /bars) updated by live ticks, with the active
// alerts and the current plan (entry, stop, targets) drawn as labelled horizontal lines. The time
// axis is New York time; a new trading day is marked with a dashed line and its date, and
// extended-hours bars are shaded (the day's close from GET /market/calendar: 13:00 on early closes).
// Clicking a price (or ↑/↓ then Enter when focused) publishes `chart-price` so Set Alert opens prefilled.
import { get, enc } from "./api.js";
import { state, on, emit } from "./bus.js";
import { $, setText, fmtPrice, fmtSigned, fmtPct, niceStep, nyClock, NY_ZONE } from "./ui.js";
import { themeColor } from "./theme.js";

// The theme's colours (CSS custom properties), read again before each drawing.
const COLORS = {};
function readColors() {
  const pick = { up: "pos", down: "neg", grid: "subtle", axis: "label", extended: "chart-extended", session: "control-border", alert: "alert-line",
    entry: "accent", stop: "neg", target: "pos", last: "text", cursor: "muted", background: "panel" };
  for (const [key, name] of Object.entries(pick)) COLORS[key] = themeColor(name);
}
const chart = { symbol: null, bars: [], alerts: [], cursor: null, layout: null, frame: 0, closes: new Map() };

const minuteKey = (iso) => { const d = new Date(iso); d.setUTCSeconds(0, 0); return d.toISOString(); };
const bar = (key, o, h, l, c) => ({ key, o, h, l, c, ny: nyClock(key) });
const REGULAR_OPEN = 9 * 60 + 30, REGULAR_CLOSE = 16 * 60;
const toMinute = (hhmm) => { const [h, m] = String(hhmm).split(":").map(Number); return h * 60 + m; };
/** Outside the regular session of its New York day (pre-market, after hours). */
const isExtended = (b) => b.ny.minute < REGULAR_OPEN || b.ny.minute >= (chart.closes.get(b.ny.date) ?? REGULAR_CLOSE);

/** The regular close of each day the bars cover (13:00 on early closes); 16:00 when unknown. */
async function loadCloses(symbol) {
  if (!chart.bars.length) return;
  try {
    const from = chart.bars[0].ny.date, to = chart.bars[chart.bars.length - 1].ny.date;
    const calendar = await get("/api/v1/market/calendar", { from, to });
    if (chart.symbol !== symbol) return;
    for (const day of calendar.days || []) if (day.close) chart.closes.set(day.date, toMinute(day.close));
    redraw();
  } catch { /* regular hours assumed */ }
}

export async function loadChart(symbol) {
  chart.symbol = symbol;
  chart.bars = [];
  chart.alerts = [];
  chart.closes = new Map();
  chart.cursor = null;
  setText($("chart-title"), symbol || "–");
  renderQuote();
  redraw();
  if (!symbol) return;
  const [bars, alerts] = await Promise.allSettled([
    get(`/api/v1/bars/${enc(symbol)}`, { timespan: "minute", limit: 240 }),
    get("/api/v1/alerts", { symbol, status: "active", limit: 200 }),
  ]);
  if (chart.symbol !== symbol) return;
  if (bars.status === "fulfilled") {
    chart.bars = bars.value.bars.map((b) => bar(minuteKey(b.t), b.o, b.h, b.l, b.c));
  }
  loadCloses(symbol);
  if (alerts.status === "fulfilled") chart.alerts = alerts.value.items || alerts.value.alerts || [];
  redraw();
}

export async function refreshAlertLines() {
  const symbol = chart.symbol;
  if (!symbol) return;
  try {
    const page = await get("/api/v1/alerts", { symbol, status: "active", limit: 200 });
    if (chart.symbol === symbol) { chart.alerts = page.items || page.alerts || []; redraw(); }
  } catch { /* keep the old lines */ }
}

function renderQuote() {
  const quote = state.quotes.get(chart.symbol);
  const box = $("chart-quote");
  if (!quote) { setText(box, ""); return; }
  setText(box, `${fmtPrice(quote.last)}  ${fmtSigned(quote.change, fmtPrice)} (${fmtPct(quote.change_pct, true)})${quote.stale ? "  · stale" : ""}`);
  box.className = `chart-quote ${quote.change > 0 ? "pos" : quote.change < 0 ? "neg" : ""}`;
}

function onQuote(quote) {
  if (quote.symbol !== chart.symbol) return;
  renderQuote();
  if (typeof quote.last !== "number") return;
  const key = minuteKey(quote.as_of);
  const last = chart.bars[chart.bars.length - 1];
  if (last && last.key === key) {
    last.h = Math.max(last.h, quote.last);
    last.l = Math.min(last.l, quote.last);
    last.c = quote.last;
  } else if (!last || key > last.key) {
    chart.bars.push(bar(key, quote.last, quote.last, quote.last, quote.last));
    if (chart.bars.length > 1000) chart.bars.shift();
  }
  redraw();
}

function lines() {
  const out = [];
  const quote = state.quotes.get(chart.symbol);
  for (const alert of chart.alerts) {
    if (alert.status && alert.status !== "active") continue;
    if (alert.type === "percent_change") {
      const base = quote && quote.prev_close;
      if (!base) continue;
      const dirs = alert.direction === "up" ? [1] : alert.direction === "down" ? [-1] : [1, -1];
      for (const d of dirs) out.push({ price: base * (1 + (d * alert.threshold) / 100), label: `alert ${d > 0 ? "+" : "−"}${alert.threshold}%`, color: COLORS.alert, dash: [6, 4] });
    } else {
      out.push({ price: alert.threshold, label: `alert ${alert.type.replace("price_", "")}`, color: COLORS.alert, dash: [6, 4] });
    }
  }
  const plan = state.plans.get(chart.symbol);
  if (plan) {
    out.push({ price: plan.entry, label: "entry", color: COLORS.entry, dash: [] });
    out.push({ price: plan.stop, label: "stop", color: COLORS.stop, dash: [] });
    (plan.targets || []).forEach((t, i) => out.push({ price: t, label: `T${i + 1}`, color: COLORS.target, dash: [2, 3] }));
  }
  return out.filter((l) => typeof l.price === "number" && Number.isFinite(l.price));
}

export function redraw() {
  if (chart.frame) return;
  chart.frame = requestAnimationFrame(() => { chart.frame = 0; draw(); });
}

function draw() {
  readColors();
  const canvas = $("chart");
  const width = canvas.clientWidth, height = canvas.clientHeight;
  if (!width || !height) return;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(0, 0, width, height);
  ctx.font = "12px system-ui, sans-serif";
  const pad = { left: 8, right: 70, top: 12, bottom: 24 };
  const plotW = width - pad.left - pad.right, plotH = height - pad.top - pad.bottom;
  const slot = 7;
  const bars = chart.bars.slice(-Math.max(1, Math.floor(plotW / slot)));
  const all = lines();
  canvas.dataset.bars = String(bars.length);
  canvas.dataset.lines = String(all.length);
  if (!bars.length) {
    chart.layout = null;
    ctx.fillStyle = COLORS.axis;
    ctx.textAlign = "center";
    ctx.fillText(chart.symbol ? `Waiting for ${chart.symbol} bars…` : "Select a symbol", width / 2, height / 2);
    return;
  }
  let lo = Math.min(...bars.map((b) => b.l)), hi = Math.max(...bars.map((b) => b.h));
  const span0 = Math.max(hi - lo, hi * 0.002);
  for (const l of all) if (l.price > lo - span0 && l.price < hi + span0) { lo = Math.min(lo, l.price); hi = Math.max(hi, l.price); }
  const margin = Math.max((hi - lo) * 0.06, hi * 0.0005);
  lo -= margin; hi += margin;
  const y = (p) => pad.top + ((hi - p) / (hi - lo)) * plotH;
  chart.layout = { lo, hi, top: pad.top, plotH, left: pad.left, plotW };

  // grid and price axis
  const step = niceStep(hi - lo, 5);
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  for (let p = Math.ceil(lo / step) * step; p <= hi; p += step) {
    ctx.strokeStyle = COLORS.grid; ctx.lineWidth = 1; ctx.setLineDash([]);
    ctx.beginPath(); ctx.moveTo(pad.left, Math.round(y(p)) + 0.5); ctx.lineTo(pad.left + plotW, Math.round(y(p)) + 0.5); ctx.stroke();
    ctx.fillStyle = COLORS.axis; ctx.fillText(fmtPrice(p), pad.left + plotW + 6, y(p));
  }
  // extended hours shaded; a new New York day starts with a dashed line and its date
  let extended = 0, breaks = 0;
  bars.forEach((b, i) => {
    const x = pad.left + i * slot;
    if (isExtended(b)) { extended++; ctx.fillStyle = COLORS.extended; ctx.fillRect(x, pad.top, slot, plotH); }
    if (i > 0 && bars[i - 1].ny.date !== b.ny.date) {
      breaks++;
      ctx.strokeStyle = COLORS.session; ctx.lineWidth = 1; ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(Math.round(x) + 0.5, pad.top); ctx.lineTo(Math.round(x) + 0.5, pad.top + plotH); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = COLORS.session; ctx.textAlign = "left"; ctx.textBaseline = "top";
      ctx.fillText(`${b.ny.weekday} ${b.ny.date.slice(5).replace("-", "/")}`, x + 3, pad.top + 2);
    }
  });
  canvas.dataset.timeZone = NY_ZONE;
  canvas.dataset.sessionBreaks = String(breaks);
  canvas.dataset.extendedBars = String(extended);
  // time axis, New York time; the last bar always has its label
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  const every = Math.max(1, Math.round(90 / slot));
  bars.forEach((b, i) => {
    if ((bars.length - 1 - i) % every !== 0) return;
    const text = b.ny.hhmm;
    if (i === bars.length - 1) canvas.dataset.lastLabel = text;
    const x = pad.left + i * slot + slot / 2;
    if (x - ctx.measureText(text).width / 2 < 0) return;
    ctx.fillStyle = COLORS.axis;
    ctx.fillText(text, x, pad.top + plotH + 6);
  });
  // candles
  bars.forEach((b, i) => {
    const x = pad.left + i * slot + slot / 2;
    ctx.strokeStyle = ctx.fillStyle = b.c >= b.o ? COLORS.up : COLORS.down;
    ctx.setLineDash([]); ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(Math.round(x) + 0.5, y(b.h)); ctx.lineTo(Math.round(x) + 0.5, y(b.l)); ctx.stroke();
    const top = y(Math.max(b.o, b.c)), bottom = y(Math.min(b.o, b.c));
    ctx.fillRect(Math.round(x) - 2, top, 5, Math.max(1, bottom - top));
  });
  // horizontal lines; their captions are nudged apart so that close levels stay readable
  const lastBar = bars[bars.length - 1];
  const drawn = [...all, { price: lastBar.c, label: "last", color: COLORS.last, dash: [1, 3], box: true }];
  if (chart.cursor !== null) drawn.push({ price: chart.cursor, label: "set alert at", color: COLORS.cursor, dash: [3, 3], box: true });
  const captions = [];
  for (const l of drawn) {
    const off = l.price > hi ? "▲ " : l.price < lo ? "▼ " : "";
    const yy = Math.round(y(Math.min(hi, Math.max(lo, l.price)))) + 0.5;
    ctx.strokeStyle = l.color; ctx.lineWidth = off ? 1 : 1.5; ctx.setLineDash(l.dash);
    ctx.beginPath(); ctx.moveTo(pad.left, yy); ctx.lineTo(pad.left + plotW, yy); ctx.stroke();
    ctx.setLineDash([]);
    captions.push({ y: yy - 3, text: `${off}${l.label} ${fmtPrice(l.price)}`, color: l.color });
    if (l.box) {
      ctx.fillStyle = l.color; ctx.fillRect(pad.left + plotW + 1, yy - 9, pad.right - 2, 18);
      ctx.fillStyle = COLORS.background; ctx.textAlign = "left"; ctx.textBaseline = "middle"; ctx.fillText(fmtPrice(l.price), pad.left + plotW + 6, yy);
    }
  }
  captions.sort((a, b) => a.y - b.y);
  for (let i = 1; i < captions.length; i++) captions[i].y = Math.max(captions[i].y, captions[i - 1].y + 15);
  const overflow = captions.length ? captions[captions.length - 1].y - (pad.top + plotH) : 0;
  if (overflow > 0) for (const c of captions) c.y -= overflow;
  ctx.textAlign = "left"; ctx.textBaseline = "bottom";
  for (const c of captions) {
    const w = ctx.measureText(c.text).width + 8;
    ctx.globalAlpha = 0.9; ctx.fillStyle = COLORS.background; ctx.fillRect(pad.left + 2, c.y - 13, w, 15); ctx.globalAlpha = 1;
    ctx.fillStyle = c.color; ctx.fillText(c.text, pad.left + 6, c.y);
  }
  const quote = state.quotes.get(chart.symbol);
  canvas.setAttribute("aria-label", `${chart.symbol} minute chart in New York time, ${bars.length} bars, last ${fmtPrice(quote ? quote.last : lastBar.c)}; ${all.length} alert and plan lines`);
}

function priceAt(clientY) {
  const layout = chart.layout;
  if (!layout) return null;
  const rect = $("chart").getBoundingClientRect();
  const frac = (clientY - rect.top - layout.top) / layout.plotH;
  if (frac < 0 || frac > 1) return null;
  return Number((layout.hi - frac * (layout.hi - layout.lo)).toFixed(2));
}

function announceCursor() { setText($("chart-cursor"), chart.cursor === null ? "" : `Cursor at ${fmtPrice(chart.cursor)}. Press Enter to set an alert there.`); }

export function initChart() {
  const canvas = $("chart");
  new ResizeObserver(() => redraw()).observe(canvas);
  on("quote", onQuote);
  on("theme", () => redraw());
  on("select", (symbol) => loadChart(symbol));
  on("plan-changed", () => redraw());
  on("alerts-changed", () => refreshAlertLines());
  canvas.addEventListener("mousemove", (event) => { chart.cursor = priceAt(event.clientY); redraw(); });
  canvas.addEventListener("mouseleave", () => { chart.cursor = null; redraw(); });
  canvas.addEventListener("click", (event) => {
    const price = priceAt(event.clientY);
    if (price !== null && chart.symbol) emit("chart-price", { symbol: chart.symbol, price });
  });
  canvas.addEventListener("keydown", (event) => {
    const layout = chart.layout;
    if (!layout) return;
    const step = niceStep(layout.hi - layout.lo, 5) / 10;
    const start = chart.cursor ?? (chart.bars.length ? chart.bars[chart.bars.length - 1].c : (layout.hi + layout.lo) / 2);
    const moves = { ArrowUp: step, ArrowDown: -step, PageUp: step * 10, PageDown: -step * 10 };
    if (event.key in moves) {
      event.preventDefault();
      chart.cursor = Number(Math.min(layout.hi, Math.max(layout.lo, start + moves[event.key])).toFixed(2));
      announceCursor(); redraw();
    } else if ((event.key === "Enter" || event.key === " ") && chart.symbol) {
      event.preventDefault();
      emit("chart-price", { symbol: chart.symbol, price: Number(start.toFixed(2)) });
    } else if (event.key === "Escape") {
      chart.cursor = null; announceCursor(); redraw();
    }
  });
  canvas.addEventListener("blur", () => { chart.cursor = null; redraw(); });
}
