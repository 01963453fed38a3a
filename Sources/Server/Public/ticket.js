// Order ticket → POST /orders/preview → confirmation <dialog> (cost, commission, risk, checks,
// bracket exits) → Confirm → POST /orders {confirmation_token}.
import { get, post } from "./api.js";
import { state, on, emit } from "./bus.js";
import { $, el, setText, fmtPrice, fmtMoney, fmtNum, num, showProblem, clearProblems, toast } from "./ui.js";
import { currentSession } from "./session.js";

// `pre` and `post` take limit orders on equities only, as US brokers do (docs/orders.md).
const DURATIONS = { day: "day", gtc: "good till canceled", pre: "pre-market only", post: "after hours only" };
const EXTENDED = new Set(["pre", "post"]);

/** What a day order does in the current session, and how to trade in extended hours. */
function sessionHint(session, duration) {
  if (EXTENDED.has(duration)) {
    return duration === "pre"
      ? "Works in one pre-market session (04:00–09:30 ET); a limit order only."
      : "Works in one after-hours session (16:00–20:00 ET, 13:00–17:00 on an early close); a limit order only.";
  }
  if (session === "pre") return "Pre-market now: a day order waits for the 09:30 open. Choose \"pre-market only\" to trade now.";
  if (session === "post") return "After hours now: a day order is for the next session. Choose \"after hours only\" to trade now.";
  if (session === "closed") return "The market is closed: a day order waits for the next session.";
  return "";
}

let preview = null;
let countdown = null;

function syncTicket() {
  const extended = EXTENDED.has($("ticket-duration").value);
  for (const option of $("ticket-type").options) option.disabled = extended && option.value !== "limit";
  if (extended) $("ticket-type").value = "limit";
  setText($("ticket-session-hint"), sessionHint(currentSession(), $("ticket-duration").value));
  const type = $("ticket-type").value;
  $("ticket-limit").disabled = !(type === "limit" || type === "stop_limit");
  $("ticket-stop").disabled = !(type === "stop" || type === "stop_limit");
  $("ticket-bracket").disabled = !$("ticket-plan").value;
  if ($("ticket-bracket").disabled) $("ticket-bracket").checked = false;
}

let plansRequest = 0;
let wantedPlan = ""; // the plan the ticket should show once the list has loaded

/** Lists the symbol's saved plans; the latest call wins (calls can overlap). */
async function loadPlans(symbol, selectId) {
  if (selectId !== undefined) wantedPlan = selectId;
  const mine = ++plansRequest;
  let items = [];
  if (symbol) {
    try { items = (await get("/api/v1/plans", { symbol, limit: 20 })).items; } catch { /* plans are optional */ }
  }
  if (mine !== plansRequest) return;
  const select = $("ticket-plan");
  const keep = wantedPlan;
  select.replaceChildren(el("option", { value: "", text: "none" }), ...items.map((plan) => el("option", {
    value: plan.id,
    text: `${plan.side} ${fmtPrice(plan.entry)} / stop ${fmtPrice(plan.stop)} / ${plan.targets.map(fmtPrice).join(", ")} · ${plan.id.slice(0, 8)}`,
  })));
  select.value = items.some((plan) => plan.id === keep) ? keep : "";
  syncTicket();
}

/** Fills the ticket; fields left out keep their value. */
export async function openTicket(prefill = {}) {
  const form = $("ticket-form");
  clearProblems(form, $("ticket-error"));
  $("ticket-checks").replaceChildren();
  const symbol = (prefill.symbol || state.selected || "").toUpperCase();
  const changed = $("ticket-symbol").value.toUpperCase() !== symbol;
  $("ticket-symbol").value = symbol;
  if (prefill.action) $("ticket-action").value = prefill.action;
  if (prefill.quantity !== undefined) $("ticket-quantity").value = prefill.quantity;
  if (prefill.type) $("ticket-type").value = prefill.type;
  if (prefill.duration) $("ticket-duration").value = prefill.duration;
  if (prefill.limit_price !== undefined) $("ticket-limit").value = prefill.limit_price;
  if (prefill.stop_price !== undefined) $("ticket-stop").value = prefill.stop_price;
  if (changed || prefill.plan_id !== undefined) await loadPlans(symbol, prefill.plan_id);
  syncTicket();
}

function ticketBody() {
  const body = { symbol: $("ticket-symbol").value.trim(), action: $("ticket-action").value, quantity: num($("ticket-quantity")), type: $("ticket-type").value, duration: $("ticket-duration").value };
  if (!$("ticket-limit").disabled) body.limit_price = num($("ticket-limit"));
  if (!$("ticket-stop").disabled) body.stop_price = num($("ticket-stop"));
  if ($("ticket-plan").value) {
    body.plan_id = $("ticket-plan").value;
    body.bracket = $("ticket-bracket").checked;
  }
  return body;
}

const checkItem = (c) => el("li", { className: `check ${c.outcome}`, attrs: { "data-testid": "check", "data-outcome": c.outcome } },
  el("span", { className: `badge ${c.outcome === "pass" ? "good" : c.outcome === "warn" ? "warn" : "bad"}`, text: c.outcome }), " ",
  el("strong", { text: c.name.replace(/_/g, " ") }), " ", el("span", { text: c.detail }));

const describeOrder = (o) => {
  const price = o.type === "limit" ? ` @ ${fmtPrice(o.limit_price)}` : o.type === "stop" ? ` stop ${fmtPrice(o.stop_price)}` : o.type === "stop_limit" ? ` stop ${fmtPrice(o.stop_price)} limit ${fmtPrice(o.limit_price)}` : "";
  return `${o.action.replace(/_/g, " ")} ${fmtNum(o.quantity, 0)} ${o.symbol} ${o.type.replace("_", " ")}${price}, ${DURATIONS[o.duration] || o.duration}`;
};

function showPreview(p) {
  preview = p;
  setText($("confirm-summary"), describeOrder(p.order));
  const figures = [["Estimated price", fmtPrice(p.estimated_price)], ["Estimated cost", fmtMoney(p.estimated_cost)], ["Commission", fmtMoney(p.commission)], ["Fees", fmtMoney(p.fees)],
    ["Risk amount", p.risk_amount === undefined || p.risk_amount === null ? "– (no stop)" : fmtMoney(p.risk_amount)]];
  $("confirm-figures").replaceChildren(...figures.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v, attrs: { "data-testid": `confirm-${k.toLowerCase().replace(/ /g, "-")}` } })]));
  $("confirm-checks").replaceChildren(...p.checks.map(checkItem));
  $("confirm-exits-box").hidden = !(p.exits && p.exits.length);
  $("confirm-exits").tBodies[0].replaceChildren(...(p.exits || []).map((x) => el("tr", {},
    el("td", { text: x.bracket_role || "" }), el("td", { text: x.action.replace(/_/g, " ") }), el("td", { className: "num", text: fmtNum(x.quantity, 0) }),
    el("td", { text: x.type }), el("td", { className: "num", text: fmtPrice(x.type === "stop" ? x.stop_price : x.limit_price) }), el("td", { text: x.duration }))));
  setText($("confirm-error"), "");
  const failed = p.checks.some((c) => c.outcome === "fail");
  $("confirm-ok").disabled = failed;
  clearInterval(countdown);
  const expires = new Date(p.expires_at).getTime();
  const tick = () => {
    const left = Math.round((expires - Date.now()) / 1000);
    setText($("confirm-expiry"), left > 0 ? `This confirmation expires in ${left} s.` : "This confirmation has expired; cancel and preview again.");
    if (left <= 0) { $("confirm-ok").disabled = true; clearInterval(countdown); }
  };
  tick();
  countdown = setInterval(tick, 1000);
  $("confirm-dialog").showModal();
  (failed ? $("confirm-cancel") : $("confirm-ok")).focus();
}

async function previewOrder(event) {
  event.preventDefault();
  const form = $("ticket-form");
  clearProblems(form, $("ticket-error"));
  $("ticket-checks").replaceChildren();
  try {
    showPreview(await post("/api/v1/orders/preview", ticketBody()));
  } catch (error) {
    showProblem(form, error, $("ticket-error"));
    $("ticket-checks").replaceChildren(...error.checks.map(checkItem));
  }
}

/** "Send anyway" for an order whose outcome is unknown: a fresh preview of the same order, confirmed in the same dialog. */
export async function previewResend(id) {
  showPreview(await post("/api/v1/orders/preview", { resend_of: id }));
}

export async function placeWithToken(token) {
  const order = await post("/api/v1/orders", { confirmation_token: token });
  emit("order-placed", order);
  toast(describeOrder(order), "good", "Order sent");
  return order;
}

async function confirm() {
  if (!preview) return;
  $("confirm-ok").disabled = true;
  setText($("confirm-error"), "");
  try {
    await placeWithToken(preview.confirmation_token);
    closeDialog();
    emit("show-tab", "tab-orders");
  } catch (error) {
    setText($("confirm-error"), [error.detail, ...error.errors.map((e) => `${e.field}: ${e.message}`)].join(" — "));
    if (error.checks.length) $("confirm-checks").replaceChildren(...error.checks.map(checkItem));
  }
}

function closeDialog() {
  clearInterval(countdown);
  preview = null;
  if ($("confirm-dialog").open) $("confirm-dialog").close();
}

export function initTicket() {
  $("ticket-form").addEventListener("submit", previewOrder);
  $("ticket-type").addEventListener("change", syncTicket);
  $("ticket-duration").addEventListener("change", syncTicket);
  on("session", syncTicket);
  $("ticket-plan").addEventListener("change", () => { wantedPlan = $("ticket-plan").value; syncTicket(); });
  $("ticket-symbol").addEventListener("change", () => loadPlans($("ticket-symbol").value.trim().toUpperCase()));
  $("confirm-ok").addEventListener("click", confirm);
  $("confirm-cancel").addEventListener("click", closeDialog);
  $("confirm-dialog").addEventListener("close", () => { clearInterval(countdown); preview = null; });
  on("plans-updated", (plan) => { if ($("ticket-symbol").value.toUpperCase() === plan.symbol) loadPlans(plan.symbol, plan.id); });
  syncTicket();
}
