// Orders and Positions tabs: GET /orders and /positions, live `order`/`position`/`fill` events,
// Cancel per working order (DELETE /orders/{id}), Close per position (prefills the ticket); for an
// order whose outcome is unknown, Check again (POST /orders/{id}/check) and Send anyway (a preview
// to confirm); the broker and SIMULATED PRICES badges in the header; unprotected positions.
import { get, del, post, enc } from "./api.js";
import { previewResend } from "./ticket.js";
import { state, on, emit, debounce, throttle } from "./bus.js";
import { $, el, setText, fmtPrice, fmtMoney, fmtNum, fmtTime, fmtSigned, signClass, toast, ask } from "./ui.js";

const orders = new Map();     // id → order
const positions = new Map();  // symbol → position
const positionEventAt = new Map(); // symbol → time of the last `position` event
const canceling = new Set();  // order ids whose cancel was requested and is not final yet

/** Applies an order update unless it is older than what we have (HTTP answers and events can cross). */
function upsert(o) {
  const before = orders.get(o.id);
  if (before && before.final && !o.final) return before;
  if (before && before.updated_at && o.updated_at && o.updated_at < before.updated_at) return before;
  const merged = { ...before, ...o };
  orders.set(o.id, merged);
  if (merged.final) canceling.delete(o.id);
  return merged;
}

const priceText = (o) => o.type === "limit" ? fmtPrice(o.limit_price) : o.type === "stop" ? `stop ${fmtPrice(o.stop_price)}` : o.type === "stop_limit" ? `${fmtPrice(o.stop_price)} / ${fmtPrice(o.limit_price)}` : "mkt";

function orderRow(o) {
  const working = !o.final;
  return el("tr", { attrs: { "data-testid": "order-row", "data-order-id": o.id, "data-symbol": o.symbol, "data-status": o.status, "data-role": o.bracket_role || "" } },
    el("td", { text: fmtTime(o.created_at) }),
    el("th", { scope: "row", text: o.symbol }),
    el("td", { text: o.action.replace(/_/g, " ") }),
    el("td", { className: "num", text: fmtNum(o.quantity, 0) }),
    el("td", { text: o.type.replace("_", " ") }),
    el("td", { className: "num", text: priceText(o) }),
    el("td", { text: o.bracket_role || "" }),
    el("td", {}, el("span", { className: `badge status-${o.status}`, text: o.status.replace("_", " ") }),
      o.reason ? el("span", { className: "reason", text: ` ${o.reason}` }) : null),
    el("td", { className: "num", text: o.filled_quantity ? `${fmtNum(o.filled_quantity, 0)} @ ${fmtPrice(o.average_fill_price)}` : "–" }),
    el("td", { className: "actions" }, ...(o.status === "unknown" ? unknownActions(o) : []), working ? el("button", {
      type: "button", className: "mini danger-text", text: canceling.has(o.id) ? "Canceling…" : "Cancel", disabled: canceling.has(o.id),
      attrs: { "aria-label": `Cancel ${o.action} ${o.quantity} ${o.symbol} ${o.type}`, "data-testid": "order-cancel" },
      on: { click: (event) => cancelOrder(o, event.currentTarget) },
    }) : null));
}

/** An order whose outcome is unknown is never re-sent by the server: the user checks again or sends it anyway (confirmed). */
function unknownActions(o) {
  const check = el("button", {
    type: "button", className: "mini", text: "Check again",
    attrs: { "aria-label": `Check again with the broker: ${o.symbol} order ${o.id}`, "data-testid": "order-check" },
    on: {
      click: async (event) => {
        event.currentTarget.disabled = true;
        try { upsert(await post(`/api/v1/orders/${enc(o.id)}/check`, {})); setText($("orders-message"), ""); } catch (error) { setText($("orders-message"), `Check failed: ${error.detail}`); }
        renderOrders();
      },
    },
  });
  const resend = o.parent_id ? null : el("button", {
    type: "button", className: "mini", text: "Send anyway…",
    attrs: { "aria-label": `Send ${o.symbol} order ${o.id} again (you confirm)`, "data-testid": "order-resend" },
    on: { click: async () => { try { await previewResend(o.id); } catch (error) { setText($("orders-message"), `Send anyway: ${error.detail}`); } } },
  });
  return [check, resend];
}

/** Rebuilds a table body, keeping keyboard focus on the same row's button when it still exists. */
function replaceRows(body, rows, key) {
  const focused = document.activeElement;
  const row = focused && body.contains(focused) ? focused.closest("tr") : null;
  const id = row ? row.getAttribute(key) : null;
  body.replaceChildren(...rows);
  if (id) {
    const again = body.querySelector(`tr[${key}="${CSS.escape(id)}"] button:not([disabled])`);
    if (again) again.focus();
  }
}

function renderOrders() {
  const workingOnly = $("orders-working-only").checked;
  const list = [...orders.values()].filter((o) => !workingOnly || !o.final)
    .sort((a, b) => (b.created_at.localeCompare(a.created_at)) || (a.bracket_role === "entry" ? 1 : -1));
  $("orders-empty").hidden = list.length > 0;
  replaceRows($("orders-table").tBodies[0], list.map(orderRow), "data-order-id");
}

export async function loadOrders() {
  try {
    const { orders: list } = await get("/api/v1/orders", { limit: 200 });
    for (const o of list) upsert(o); // a list fetched while events arrive must not undo newer events
    setText($("orders-message"), "");
    renderOrders();
  } catch (error) {
    setText($("orders-message"), error.detail);
  }
}

async function cancelOrder(order, button) {
  button.disabled = true;
  canceling.add(order.id);
  try {
    const updated = await del(`/api/v1/orders/${enc(order.id)}`);
    if (updated && updated.id) upsert(updated);
    setText($("orders-message"), "");
  } catch (error) {
    canceling.delete(order.id);
    setText($("orders-message"), `Cancel failed: ${error.detail}`);
    if (error.status === 409) loadOrders(); // it changed meanwhile (filled or already canceled)
  }
  renderOrders();
}

// ---- positions ----------------------------------------------------------------------------------

const multiplier = (p) => (p.asset_class === "option" ? 100 : 1);

function live(p) {
  const quote = state.quotes.get(p.symbol);
  const last = quote && typeof quote.last === "number" ? quote.last : p.last_price;
  if (typeof last !== "number") return { last: p.last_price, value: p.market_value, pnl: p.unrealized_pnl, day: p.day_pnl };
  const value = last * p.quantity * multiplier(p);
  // Day P&L moves with the last price on the quantity the server measured it for (docs/risk.md).
  const day = typeof p.day_pnl === "number" && typeof p.last_price === "number"
    ? p.day_pnl + (last - p.last_price) * p.quantity * multiplier(p) : undefined;
  return { last, value, pnl: value - p.cost_basis, day };
}

/** What the day P&L is measured from, for the cell's tooltip. */
function dayTitle(p) {
  if (typeof p.overnight_quantity !== "number") return "Day P&L: waiting for the server";
  const close = typeof p.previous_close === "number" ? `previous close ${fmtPrice(p.previous_close)}` : "no previous close: average price";
  return `${fmtNum(Math.abs(p.overnight_quantity), 0)} held overnight (from the ${close}), the rest from today's fills; realised today ${fmtSigned(p.day_realized_pnl)}`;
}

function closeAction(p) {
  if (p.asset_class === "option") return p.quantity > 0 ? "sell_to_close" : "buy_to_close";
  return p.quantity > 0 ? "sell" : "buy_to_cover";
}

function positionRow(p) {
  const l = live(p);
  const row = el("tr", { attrs: { "data-testid": "position-row", "data-symbol": p.symbol, "data-quantity": p.quantity } },
    el("th", { scope: "row", text: p.symbol }),
    el("td", { text: p.side }),
    el("td", { className: "num", text: fmtNum(p.quantity, 0) }),
    el("td", { className: "num", text: fmtPrice(p.average_price) }),
    el("td", { className: "num", text: fmtPrice(l.last) }),
    el("td", { className: "num", text: fmtMoney(l.value) }),
    el("td", { className: `num ${signClass(l.pnl)}`, text: fmtSigned(l.pnl) }),
    el("td", { className: `num ${signClass(l.day)}`, text: fmtSigned(l.day), attrs: { "data-testid": "position-day-pnl", title: dayTitle(p) } }),
    el("td", { text: fmtTime(p.opened_at) }),
    el("td", { className: "actions" }, el("button", {
      type: "button", className: "mini", text: "Close",
      attrs: { "aria-label": `Close ${p.symbol} position (${closeAction(p).replace(/_/g, " ")} ${Math.abs(p.quantity)})`, "data-testid": `position-close-${p.symbol}` },
      on: { click: () => closePosition(p) },
    })));
  row.live = { last: row.cells[4], value: row.cells[5], pnl: row.cells[6], day: row.cells[7] };
  return row;
}

function updateLive(symbol) {
  const p = positions.get(symbol);
  const row = p && $("positions-table").querySelector(`tr[data-symbol="${CSS.escape(symbol)}"]`);
  if (!row || !row.live) return;
  const l = live(p);
  setText(row.live.last, fmtPrice(l.last));
  setText(row.live.value, fmtMoney(l.value));
  setText(row.live.pnl, fmtSigned(l.pnl));
  row.live.pnl.className = `num ${signClass(l.pnl)}`;
  setText(row.live.day, fmtSigned(l.day));
  row.live.day.className = `num ${signClass(l.day)}`;
}

function renderPositions() {
  const list = [...positions.values()].filter((p) => !p.closed && p.quantity !== 0).sort((a, b) => a.symbol.localeCompare(b.symbol));
  $("positions-empty").hidden = list.length > 0;
  replaceRows($("positions-table").tBodies[0], list.map(positionRow), "data-symbol");
}

async function closePosition(p) {
  const working = [...orders.values()].filter((o) => !o.final && o.symbol === p.symbol);
  if (working.length) {
    const cancel = await ask({ title: `Working orders on ${p.symbol}`, message: `${working.length} working order(s) on ${p.symbol} (for example a bracket's stop and target) would stay working after you close. Cancel them first?`, okLabel: "Cancel them", danger: true });
    if (cancel) {
      for (const o of working) {
        canceling.add(o.id);
        try { const u = await del(`/api/v1/orders/${enc(o.id)}`); if (u && u.id) upsert(u); } catch (error) { canceling.delete(o.id); toast(error.detail, "bad", `Cancel ${o.symbol} failed`); }
      }
      renderOrders();
    }
  }
  emit("ticket-prefill", { symbol: p.symbol, action: closeAction(p), quantity: Math.abs(p.quantity), type: "market", plan_id: "" });
}

async function loadAccount() {
  try {
    const a = await get("/api/v1/account");
    const items = [["Equity", fmtMoney(a.equity)], ["Cash", fmtMoney(a.cash)], ["Buying power", fmtMoney(a.buying_power)], ["Realised today", fmtSigned(a.realized_pnl_today)], ["Broker", `${a.broker} (${a.environment})`]];
    $("account-summary").replaceChildren(...items.map(([k, v]) => el("div", {}, el("dt", { text: k }), el("dd", { text: v }))));
    showBrokerBadges(a);
  } catch (error) {
    $("account-summary").replaceChildren(el("div", {}, el("dt", { text: "Account" }), el("dd", { text: error.detail })));
  }
}

export async function loadPositions() {
  try {
    const started = Date.now();
    const { positions: list } = await get("/api/v1/positions");
    // A symbol with a `position` event since the request started keeps what the event said.
    const fresh = (symbol) => (positionEventAt.get(symbol) || 0) >= started;
    for (const symbol of [...positions.keys()]) if (!fresh(symbol)) positions.delete(symbol);
    for (const p of list) if (!fresh(p.symbol)) positions.set(p.symbol, p);
    setText($("positions-message"), "");
    renderPositions();
  } catch (error) {
    setText($("positions-message"), error.detail);
  }
  loadAccount();
}

export function initOrders() {
  $("orders-refresh").addEventListener("click", loadOrders);
  $("orders-working-only").addEventListener("change", renderOrders);
  $("positions-refresh").addEventListener("click", loadPositions);
  const refreshAccount = debounce(loadAccount, 500);
  // A fill changes what day P&L is measured from: the server measures it again.
  const refreshPositions = debounce(loadPositions, 1000);
  const pending = new Set();
  const flushLive = throttle(() => { for (const symbol of pending) updateLive(symbol); pending.clear(); }, 1000);
  on("ws:order", (o) => {
    const before = orders.get(o.id);
    upsert(o);
    renderOrders();
    if (before && before.status !== o.status && ["rejected", "error"].includes(o.status)) toast(o.reason || `Order ${o.status}`, "bad", `${o.symbol} order ${o.status}`);
  });
  on("order-placed", (o) => { upsert(o); renderOrders(); });
  on("ws:position", (p) => {
    positionEventAt.set(p.symbol, Date.now());
    if (p.closed || p.quantity === 0) positions.delete(p.symbol);
    else positions.set(p.symbol, { ...positions.get(p.symbol), ...p, day_pnl: undefined, overnight_quantity: undefined });
    renderPositions();
    refreshPositions();
  });
  on("ws:fill", (f) => { toast(`${f.action.replace(/_/g, " ")} ${fmtNum(f.quantity, 0)} ${f.symbol} @ ${fmtPrice(f.price)}`, "good", "Filled"); refreshAccount(); });
  on("quote", (q) => { if (positions.has(q.symbol)) { pending.add(q.symbol); flushLive(); } });
  on("ws:open", () => { loadOrders(); loadPositions(); });
}

/** Header badges from the URL actually used: paper / sandbox / LIVE, and SIMULATED PRICES while a real broker is priced from simulated data. */
function showBrokerBadges(a) {
  const header = document.querySelector("header.topbar");
  if (!header) return;
  const spacer = header.querySelector(".spacer");
  const badge = (id, testid) => document.getElementById(id) || header.insertBefore(el("span", { className: "badge", attrs: { id, "data-testid": testid } }), spacer);
  const broker = badge("broker-badge", "broker-badge");
  broker.textContent = a.environment === "live" ? "LIVE MONEY" : `${a.broker} (${a.environment})`;
  broker.className = `badge ${a.environment === "live" ? "bad" : a.environment === "sandbox" ? "warn" : ""}`;
  const simulated = badge("simulated-badge", "simulated-prices");
  simulated.textContent = "SIMULATED PRICES";
  simulated.className = "badge bad";
  simulated.title = "A real broker is priced from the simulated market (TA_MARKET_DATA=simulated): estimates and checks use made-up prices.";
  simulated.hidden = !a.simulated_prices;
}

/** Positions left without their bracket exits at the broker (`status` events unprotected/protected). */
on("ws:status", (data) => {
  if (data.kind === "unprotected") toast(data.message, "bad", "Position unprotected");
  if (data.kind === "protected") toast(data.message, "good", "Exits placed");
  if (data.kind === "unprotected" || data.kind === "protected") loadOrders();
});
