// Watchlist: symbols with live last price, change, change % and a stale marker; per-symbol actions.
import { get, post, del, enc } from "./api.js";
import { state, on, emit } from "./bus.js";
import { $, el, setText, fmtPrice, fmtSigned, fmtPct, signClass, showProblem, clearProblems } from "./ui.js";

const rows = new Map(); // symbol → {row, last, change, pct, stale, select}

function buildRow(symbol) {
  const select = el("button", {
    type: "button", className: "linkish symbol", text: symbol,
    attrs: { "aria-label": `Show ${symbol} on the chart`, "data-testid": `wl-select-${symbol}` },
    on: { click: () => selectSymbol(symbol) },
  });
  const stale = el("span", { className: "stale-mark", text: "stale", attrs: { "data-testid": `wl-stale-${symbol}`, title: "No fresh data for this symbol" } });
  stale.hidden = true;
  const last = el("td", { className: "num", text: "–", attrs: { "data-testid": `wl-last-${symbol}` } });
  const change = el("td", { className: "num", text: "–" });
  const pct = el("td", { className: "num", text: "–" });
  const action = (kind, label, aria) => el("button", {
    type: "button", className: "mini", text: label,
    attrs: { "aria-label": aria, title: aria, "data-testid": `wl-${kind}-${symbol}` },
    on: { click: () => emit("action", { kind, symbol }) },
  });
  const row = el("tr", { attrs: { "data-symbol": symbol, "data-testid": `wl-row-${symbol}` } },
    el("th", { attrs: { scope: "row" } }, select, " ", stale),
    last, change, pct,
    el("td", { className: "actions" },
      action("plan", "Plan", `Build plan for ${symbol}`),
      action("size", "Size", `Size it: ${symbol}`),
      action("alert", "Alert", `Set alert on ${symbol}`)));
  const entry = { row, last, change, pct, stale, select };
  rows.set(symbol, entry);
  return entry;
}

function renderQuote(quote) {
  const entry = rows.get(quote.symbol);
  if (!entry) return;
  const previous = Number(entry.last.dataset.value);
  setText(entry.last, fmtPrice(quote.last));
  entry.last.dataset.value = quote.last ?? "";
  setText(entry.change, fmtSigned(quote.change, fmtPrice));
  entry.change.className = `num ${signClass(quote.change)}`;
  setText(entry.pct, fmtPct(quote.change_pct, true));
  entry.pct.className = `num ${signClass(quote.change_pct)}`;
  entry.stale.hidden = !quote.stale;
  entry.row.classList.toggle("is-stale", Boolean(quote.stale));
  if (Number.isFinite(previous) && typeof quote.last === "number" && quote.last !== previous) {
    entry.last.classList.remove("flash-up", "flash-down");
    void entry.last.offsetWidth; // restart the animation
    entry.last.classList.add(quote.last > previous ? "flash-up" : "flash-down");
  }
}

function render() {
  const body = $("watchlist").tBodies[0];
  for (const [symbol, entry] of rows) {
    if (!state.watchlist.includes(symbol)) { entry.row.remove(); rows.delete(symbol); }
  }
  for (const symbol of state.watchlist) {
    const entry = rows.get(symbol) || buildRow(symbol);
    body.append(entry.row); // keeps the list order
    const quote = state.quotes.get(symbol);
    if (quote) renderQuote(quote);
  }
  markSelected();
}

function markSelected() {
  for (const [symbol, entry] of rows) {
    const selected = symbol === state.selected;
    entry.row.classList.toggle("selected", selected);
    if (selected) entry.select.setAttribute("aria-current", "true");
    else entry.select.removeAttribute("aria-current");
  }
}

export function selectSymbol(symbol) {
  if (!symbol) return;
  state.selected = symbol;
  markSelected();
  emit("select", symbol);
}

export async function loadWatchlist() {
  const { symbols } = await get("/api/v1/watchlist");
  state.watchlist = symbols;
  if (symbols.length) {
    try {
      const { quotes } = await get("/api/v1/quotes", { symbols: symbols.join(",") });
      for (const quote of quotes) state.quotes.set(quote.symbol, quote);
    } catch { /* prices arrive over the WebSocket anyway */ }
  }
  render();
  if (!state.selected || !symbols.includes(state.selected)) selectSymbol(symbols[0] || null);
  emit("watchlist", symbols);
}

export async function addSymbol(symbol) {
  await post("/api/v1/watchlist", { symbol });
  await loadWatchlist();
}

export async function removeSymbol(symbol) {
  await del(`/api/v1/watchlist/${enc(symbol)}`);
  await loadWatchlist();
}

export function initWatchlist() {
  on("ws:price", (quote) => {
    state.quotes.set(quote.symbol, quote);
    renderQuote(quote);
    emit("quote", quote);
  });
  on("ws:status", (data) => {
    if (data.message && data.kind !== "connected") setText($("feed-message"), data.message);
    if (data.kind === "feed_live") setText($("feed-message"), "");
    const stale = new Set(data.stale_symbols || []);
    if (data.kind === "stale_symbols" || data.stale_symbols) {
      for (const [symbol, entry] of rows) {
        const isStale = stale.has(symbol);
        entry.stale.hidden = !isStale;
        entry.row.classList.toggle("is-stale", isStale);
      }
    }
  });
  on("ws:open", () => loadWatchlist().catch(() => {}));
  $("add-symbol").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const input = $("add-symbol-input");
    clearProblems(form, $("add-symbol-error"));
    try {
      await addSymbol(input.value.trim());
      input.value = "";
    } catch (error) {
      showProblem(form, error, $("add-symbol-error"));
    }
  });
}
