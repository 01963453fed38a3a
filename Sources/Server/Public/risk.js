// Risk gauge (GET /risk and live `risk` events) and the kill switch (POST /risk/halt, /risk/resume).
// Until the risk engine exists on the server (404), the panel shows the broker account instead.
import { get, post } from "./api.js";
import { on } from "./bus.js";
import { $, el, put, setText, fmtMoney, fmtPct, fmtSigned, fmtTime, ask, signClass } from "./ui.js";

let available = true;
let current = null;

function meter(label, value, limit, format, testid) {
  const fraction = typeof value === "number" && typeof limit === "number" && limit > 0 ? Math.min(1, Math.max(0, value / limit)) : 0;
  const bar = el("div", { className: "meter-fill" });
  bar.style.width = `${Math.round(fraction * 100)}%`;
  bar.classList.add(fraction >= 1 ? "over" : fraction >= 0.75 ? "near" : "ok");
  const text = typeof limit === "number" ? `${format(value)} of ${format(limit)}` : format(value);
  return el("div", { className: "meter-row" },
    el("div", { className: "meter-label" }, el("span", { text: label }), el("span", { text })),
    el("div", {
      className: "meter", attrs: {
        role: "meter", "aria-label": label, "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.round(fraction * 100),
        "aria-valuetext": text, "data-testid": testid,
      },
    }, bar));
}

function setBadge(stateName) {
  const badge = $("risk-badge");
  badge.hidden = false;
  badge.dataset.state = stateName;
  badge.className = `badge risk-${stateName}`;
  setText(badge, `risk: ${stateName}`);
}

/** Accepts the flat shape ({state, equity, day_pnl, …}) and the nested one ({state, snapshot: {…}}). */
function flatten(r) {
  return { ...(r.snapshot || {}), ...r, as_of: (r.snapshot && r.snapshot.as_of) || r.as_of || r.since };
}

function dailyLossLimit(r, limits) {
  const amounts = [];
  if (typeof limits.max_daily_loss === "number") amounts.push(limits.max_daily_loss);
  const base = r.day_start_equity ?? r.equity;
  if (typeof limits.max_daily_loss_pct === "number" && typeof base === "number") amounts.push((base * limits.max_daily_loss_pct) / 100);
  return amounts.length ? Math.min(...amounts) : null;
}

function render(report) {
  current = report;
  const r = flatten(report);
  setBadge(r.state);
  const limits = r.limits || {};
  const loss = typeof r.day_pnl === "number" ? Math.max(0, -r.day_pnl) : null;
  const figures = [["Equity", fmtMoney(r.equity)], ["Day P&L", fmtSigned(r.day_pnl)], ["Open risk", `${fmtMoney(r.open_risk)} (${fmtPct(r.open_risk_pct)})`],
    ["Gross exposure", fmtMoney(r.gross_exposure)], ["Net exposure", fmtMoney(r.net_exposure)]];
  put($("risk-body"),
    el("p", {}, el("span", { className: `badge big-badge risk-${r.state}`, text: r.state, attrs: { "data-testid": "risk-state" } }),
      r.reason ? el("span", { className: "small", text: ` ${r.reason}` }) : null),
    meter("Open risk", r.open_risk_pct, limits.max_open_risk_pct, (v) => fmtPct(v), "risk-meter-open"),
    meter("Day loss", loss, dailyLossLimit(r, limits), (v) => fmtMoney(v), "risk-meter-loss"),
    el("dl", { className: "figures compact" }, figures.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v, className: k === "Day P&L" ? signClass(r.day_pnl) : "" })])),
    (r.breaches || []).length ? el("ul", { className: "breaches", attrs: { "data-testid": "risk-breaches" } }, r.breaches.map((b) => el("li", {},
      el("strong", { text: String(b.kind || b.limit || "limit").replace(/_/g, " ") }), b.symbol ? ` ${b.symbol}` : "", " ", el("span", { text: b.message })))) : null,
    r.error ? el("p", { className: "error small", text: r.error }) : null,
    el("p", { className: "muted small", text: `as of ${fmtTime(r.as_of)}` }));
  $("risk-halt").disabled = r.state === "halted";
  $("risk-resume").disabled = r.state === "active";
}

async function renderAccountFallback() {
  $("risk-halt").disabled = true;
  $("risk-resume").disabled = true;
  $("risk-badge").hidden = true;
  const note = el("p", { className: "muted small", text: "The risk engine is not available on this server yet; the gauge and kill switch appear when it is.", attrs: { "data-testid": "risk-unavailable" } });
  try {
    const a = await get("/api/v1/account");
    $("risk-body").replaceChildren(note, el("dl", { className: "figures compact" },
      el("dt", { text: "Equity" }), el("dd", { text: fmtMoney(a.equity) }),
      el("dt", { text: "Buying power" }), el("dd", { text: fmtMoney(a.buying_power) }),
      el("dt", { text: "Realised today" }), el("dd", { text: fmtSigned(a.realized_pnl_today), className: signClass(a.realized_pnl_today) })));
  } catch {
    $("risk-body").replaceChildren(note);
  }
}

export async function loadRisk() {
  try {
    render(await get("/api/v1/risk"));
    available = true;
  } catch (error) {
    if (error.status === 404) { available = false; await renderAccountFallback(); }
    else setText($("risk-message"), error.detail);
  }
}

async function toggle(halt) {
  const reason = await ask({
    title: halt ? "Halt all trading?" : "Resume trading?",
    message: halt ? "New orders will be refused until you resume. Cancels stay allowed." : "New orders will be accepted again (limits still apply).",
    okLabel: halt ? "Halt trading" : "Resume", danger: halt, reason: halt ? true : "optional", reasonLabel: halt ? "Reason for halting" : "Reason for resuming (optional)",
  });
  if (reason === null) return;
  setText($("risk-message"), "");
  try {
    const result = await post(halt ? "/api/v1/risk/halt" : "/api/v1/risk/resume", reason ? { reason } : {});
    if (result && result.state) render(result); else await loadRisk();
    setText($("risk-message"), halt ? "Trading halted." : "Trading resumed.");
  } catch (error) {
    setText($("risk-message"), error.status === 404 ? "The kill switch is not available on this server yet." : error.detail);
  }
}

export function initRisk() {
  $("risk-halt").addEventListener("click", () => toggle(true));
  $("risk-resume").addEventListener("click", () => toggle(false));
  on("ws:risk", (r) => { available = true; render({ ...current, ...r }); });
  on("ws:position", () => { if (!available) renderAccountFallback(); });
  on("ws:open", () => loadRisk());
  on("risk-alert", () => loadRisk());
}
