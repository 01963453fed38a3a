// Build Plan (POST /plan/validate, then POST /plans) and Size It (POST /sizing/suggest).
import { get, post } from "./api.js";
import { state, on, emit } from "./bus.js";
import { $, el, put, setText, fmtPrice, fmtMoney, fmtNum, fmtPct, num, round2, showProblem, clearProblems } from "./ui.js";

const lastPrice = (symbol) => state.quotes.get(symbol)?.last;

function defaults(symbol, fromPlan = true) {
  const plan = fromPlan && state.plans.get(symbol);
  if (plan) return { side: plan.side, entry: plan.entry, stop: plan.stop, targets: plan.targets };
  const last = lastPrice(symbol);
  if (typeof last !== "number") return { side: "long", entry: "", stop: "", targets: [] };
  const stop = round2(last * 0.99);
  const risk = last - stop;
  return { side: "long", entry: last, stop, targets: [round2(last + 2 * risk), round2(last + 3 * risk)] };
}

/** Opens Build Plan prefilled from the last price (stop 1 % away, targets at 2R and 3R). */
export function openPlan(symbol) {
  const d = defaults(symbol, false);
  $("plan-symbol").value = symbol || "";
  $("plan-side").value = d.side;
  $("plan-entry").value = d.entry ?? "";
  $("plan-stop").value = d.stop ?? "";
  $("plan-targets").value = (d.targets || []).join(", ");
  $("plan-save").disabled = true;
  clearProblems($("plan-form"), $("plan-error"));
  $("plan-result").replaceChildren();
}

function planBody() {
  const targets = $("plan-targets").value.split(/[,\s]+/).filter(Boolean).map((t) => (Number.isFinite(Number(t)) ? Number(t) : t));
  const body = { symbol: $("plan-symbol").value.trim(), side: $("plan-side").value, entry: num($("plan-entry")), stop: num($("plan-stop")), targets };
  const thesis = $("plan-thesis").value.trim();
  if (thesis) body.thesis = thesis;
  return body;
}

function issues(title, list, kind) {
  if (!list.length) return null;
  return el("div", { className: `issues ${kind}` }, el("h4", { text: title }),
    el("ul", {}, list.map((i) => el("li", { text: i.field ? `${i.message} (${i.field})` : i.message }))));
}

function renderEvaluation(evaluation) {
  const box = $("plan-result");
  const rbands = el("ul", { className: "chips", attrs: { "data-testid": "plan-rbands" } },
    (evaluation.r_bands || []).map((b) => el("li", { text: `${fmtNum(b.r)}R ${fmtPrice(b.price)}` })));
  const targets = el("table", { className: "grid-table compact" },
    el("thead", {}, el("tr", {}, el("th", { text: "Target", attrs: { scope: "col" } }), el("th", { className: "num", text: "Price", attrs: { scope: "col" } }), el("th", { className: "num", text: "Reward/share", attrs: { scope: "col" } }), el("th", { className: "num", text: "R", attrs: { scope: "col" } }))),
    el("tbody", {}, (evaluation.targets || []).map((t, i) => el("tr", {},
      el("td", { text: `T${i + 1}` }), el("td", { className: "num", text: fmtPrice(t.price) }), el("td", { className: "num", text: fmtPrice(t.reward_per_share) }), el("td", { className: "num", text: t.r_multiple === null ? "–" : `${fmtNum(t.r_multiple)}R` })))));
  const size = evaluation.suggested_size;
  put(box,
    el("p", {}, el("span", { className: `badge ${evaluation.valid ? "good" : "bad"}`, text: evaluation.valid ? "valid" : "not valid", attrs: { "data-testid": "plan-valid" } }),
      " ", el("span", { text: evaluation.summary, attrs: { "data-testid": "plan-summary" } })),
    issues("Errors", evaluation.errors || [], "bad"),
    issues("Warnings", evaluation.warnings || [], "warn"),
    el("div", { className: "two-col" },
      el("div", {}, el("h4", { text: "Targets" }), targets),
      el("div", {}, el("h4", { text: "R bands" }), rbands,
        size ? el("p", { className: "small", text: `Suggested size: ${fmtNum(size.quantity, 0)} (risk ${fmtMoney(size.risk_amount)}, ${fmtPct(size.pct_of_equity)} of equity, capped by ${size.capped_by.replace(/_/g, " ")})` }) : null)));
}

async function checkPlan(event) {
  event.preventDefault();
  const form = $("plan-form");
  clearProblems(form, $("plan-error"));
  $("plan-save").disabled = true;
  const body = planBody();
  try {
    const evaluation = await post("/api/v1/plan/validate", body);
    renderEvaluation(evaluation);
    if (evaluation.errors?.length) showProblem(form, { detail: "The plan breaks a rule; see the errors.", errors: evaluation.errors }, $("plan-error"));
    if (evaluation.valid) {
      state.plans.set(body.symbol.toUpperCase(), { ...body, symbol: body.symbol.toUpperCase(), evaluation, draft: true });
      emit("plan-changed", body.symbol.toUpperCase());
      $("plan-save").disabled = false;
    }
  } catch (error) {
    $("plan-result").replaceChildren();
    showProblem(form, error, $("plan-error"));
  }
}

async function savePlan() {
  const form = $("plan-form");
  clearProblems(form, $("plan-error"));
  try {
    const saved = await post("/api/v1/plans", planBody());
    state.plans.set(saved.symbol, saved);
    emit("plan-changed", saved.symbol);
    emit("plans-updated", saved);
    $("plan-save").disabled = true;
    $("plan-result").prepend(el("p", { className: "ok", text: `Plan saved (${saved.id.slice(0, 8)}). Size it or open the order ticket with this plan.`, attrs: { "data-testid": "plan-saved", role: "status" } }));
  } catch (error) {
    showProblem(form, error, $("plan-error"));
  }
}

export async function loadSavedPlan(symbol) {
  if (!symbol || state.plans.has(symbol)) return;
  try {
    const page = await get("/api/v1/plans", { symbol, limit: 1 });
    if (page.items.length && !state.plans.has(symbol)) { state.plans.set(symbol, page.items[0]); emit("plan-changed", symbol); }
  } catch { /* no plan line then */ }
}

// ---- Size It ------------------------------------------------------------------------------------

// Where sizing's equity came from (docs/planning.md, Sizing).
const ACCOUNT_SOURCES = { broker: "from the broker's account", settings: "from the settings", request: "as entered" };

export function openSize(symbol) {
  const d = defaults(symbol);
  $("size-symbol").value = symbol || "";
  $("size-side").value = d.side;
  $("size-entry").value = d.entry ?? "";
  $("size-stop").value = d.stop ?? "";
  $("size-risk-amount").value = "";
  const pct = state.settings?.risk?.risk_per_trade_pct;
  $("size-risk-pct").value = "";
  $("size-risk-pct").placeholder = pct ? `${pct} (settings)` : "";
  clearProblems($("size-form"), $("size-error"));
  $("size-result").replaceChildren();
}

function useInTicket(symbol, side, quantity) {
  const plan = state.plans.get(symbol);
  emit("ticket-prefill", { symbol, action: side === "short" ? "sell_short" : "buy", quantity, plan_id: plan && plan.id ? plan.id : "" });
}

async function size(event) {
  event.preventDefault();
  const form = $("size-form");
  clearProblems(form, $("size-error"));
  const body = { symbol: $("size-symbol").value.trim(), side: $("size-side").value, entry: num($("size-entry")) };
  for (const [key, input] of [["stop", "size-stop"], ["risk_pct", "size-risk-pct"], ["risk_amount", "size-risk-amount"]]) {
    const value = num($(input));
    if (value !== undefined) body[key] = value;
  }
  try {
    const r = await post("/api/v1/sizing/suggest", body);
    const symbol = body.symbol.toUpperCase();
    const facts = [["Risk budget", fmtMoney(r.risk_budget)], ["Risk amount", fmtMoney(r.risk_amount)], ["Risk per unit", fmtPrice(r.risk_per_unit)],
      ["Position value", fmtMoney(r.position_value)], ["Of equity", fmtPct(r.pct_of_equity)], ["Capped by", r.capped_by.replace(/_/g, " ")],
      ["Account", `${fmtMoney(r.equity)} equity${r.buying_power != null ? `, ${fmtMoney(r.buying_power)} buying power` : ""} (${ACCOUNT_SOURCES[r.account_source] || r.account_source})`]];
    put($("size-result"),
      el("p", { className: "big" }, el("span", { text: fmtNum(r.quantity, 0), attrs: { "data-testid": "size-quantity" } }), el("span", { className: "muted", text: r.asset_class === "option" ? " contracts" : " shares" }),
        " ", el("button", { type: "button", className: "primary", text: "Use in order ticket", attrs: { "data-testid": "size-use" }, on: { click: () => useInTicket(symbol, body.side, r.quantity) } })),
      el("dl", { className: "figures" }, facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])),
      issues("Warnings", r.warnings || [], "warn"),
      el("table", { className: "grid-table compact", attrs: { "data-testid": "size-alternatives" } },
        el("caption", { text: "Alternatives" }),
        el("thead", {}, el("tr", {}, ["Profile", "Budget", "Quantity", "Risk", "Value", ""].map((h, i) => el("th", { className: i && i < 5 ? "num" : "", attrs: { scope: "col" } }, h ? h : el("span", { className: "visually-hidden", text: "Use" }))))),
        el("tbody", {}, r.alternatives.map((a) => el("tr", {},
          el("td", { text: a.profile }), el("td", { className: "num", text: fmtMoney(a.risk_budget) }), el("td", { className: "num", text: fmtNum(a.quantity, 0) }),
          el("td", { className: "num", text: fmtMoney(a.risk_amount) }), el("td", { className: "num", text: fmtMoney(a.position_value) }),
          el("td", {}, el("button", { type: "button", className: "mini", text: "Use", attrs: { "aria-label": `Use ${a.profile} size ${a.quantity}` }, on: { click: () => useInTicket(symbol, body.side, a.quantity) } })))))));
  } catch (error) {
    $("size-result").replaceChildren();
    showProblem(form, error, $("size-error"));
  }
}

export function initPlan() {
  $("plan-form").addEventListener("submit", checkPlan);
  $("plan-save").addEventListener("click", savePlan);
  $("plan-to-size").addEventListener("click", () => emit("action", { kind: "size", symbol: $("plan-symbol").value.trim().toUpperCase() || state.selected }));
  $("size-form").addEventListener("submit", size);
  on("select", (symbol) => loadSavedPlan(symbol));
}
