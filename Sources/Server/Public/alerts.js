// Set Alert form, the alerts list (edit with PATCH, delete), recent firings, and a toast per firing.
import { get, post, patch, del, enc } from "./api.js";
import { state, on, emit, debounce } from "./bus.js";
import { $, el, setText, fmtPrice, fmtTime, num, showProblem, clearProblems, toast, ask } from "./ui.js";

let alerts = [];
let editing = null;

const describe = (a) => a.type === "percent_change" ? `${a.threshold}% ${a.direction || "either"}` : fmtPrice(a.threshold);

function syncAlertForm() {
  const percent = $("alert-type").value === "percent_change";
  $("alert-direction").disabled = !percent;
  $("alert-cooldown").disabled = $("alert-mode").value !== "repeat";
}

export function openAlert(symbol, price) {
  const form = $("alert-form");
  clearProblems(form, $("alert-error"));
  setText($("alert-ok"), "");
  $("alert-symbol").value = symbol || "";
  const last = state.quotes.get(symbol)?.last;
  if (price !== undefined) {
    $("alert-threshold").value = price;
    if (["price_above", "price_below"].includes($("alert-type").value) || $("alert-type").value === "percent_change") {
      $("alert-type").value = typeof last === "number" && price < last ? "price_below" : "price_above";
    }
  } else if (typeof last === "number") {
    $("alert-threshold").value = last;
  }
  syncAlertForm();
}

async function createAlert(event) {
  event.preventDefault();
  const form = $("alert-form");
  clearProblems(form, $("alert-error"));
  setText($("alert-ok"), "");
  const body = { symbol: $("alert-symbol").value.trim(), type: $("alert-type").value, threshold: num($("alert-threshold")), mode: $("alert-mode").value };
  if (body.type === "percent_change") body.direction = $("alert-direction").value;
  if (body.mode === "repeat" && num($("alert-cooldown")) !== undefined) body.cooldown_s = num($("alert-cooldown"));
  if ($("alert-expires").value) {
    const date = new Date($("alert-expires").value);
    body.expires_at = Number.isNaN(date.getTime()) ? $("alert-expires").value : date.toISOString();
  }
  const note = $("alert-note").value.trim();
  if (note) body.note = note;
  try {
    const alert = await post("/api/v1/alerts", body);
    setText($("alert-ok"), `Alert set: ${alert.symbol} ${alert.type.replace(/_/g, " ")} ${describe(alert)}.`);
    emit("alerts-changed");
  } catch (error) {
    showProblem(form, error, $("alert-error"));
  }
}

function renderAlerts() {
  const body = $("alerts-table").tBodies[0];
  $("alerts-empty").hidden = alerts.length > 0;
  body.replaceChildren(...alerts.map((a) => el("tr", { attrs: { "data-testid": "alert-row", "data-alert-id": a.id, "data-status": a.status } },
    el("th", { scope: "row", text: a.symbol }),
    el("td", { text: a.type.replace(/_/g, " ") }),
    el("td", { className: "num", text: describe(a) }),
    el("td", { text: a.mode === "repeat" ? `repeat${a.cooldown_s ? ` (${a.cooldown_s}s)` : ""}` : "once" }),
    el("td", {}, el("span", { className: `badge status-${a.status}`, text: a.status })),
    el("td", { className: "num", text: a.fire_count, attrs: { title: a.last_fired_at ? `last ${fmtTime(a.last_fired_at)}` : "never fired" } }),
    el("td", { className: "note", text: a.note || "" }),
    el("td", { className: "actions" },
      el("button", { type: "button", className: "mini", text: "Edit", attrs: { "aria-label": `Edit alert ${a.symbol} ${a.type} ${a.threshold}` }, on: { click: () => openEdit(a) } }),
      el("button", { type: "button", className: "mini danger-text", text: "Delete", attrs: { "aria-label": `Delete alert ${a.symbol} ${a.type} ${a.threshold}` }, on: { click: () => removeAlert(a) } })))));
}

export async function loadAlerts() {
  try {
    const page = await get("/api/v1/alerts", { limit: 200 });
    alerts = page.items;
    setText($("alerts-message"), "");
    renderAlerts();
  } catch (error) {
    setText($("alerts-message"), error.detail);
  }
}

function firingItem(f) {
  if (f.type === "risk") {
    return el("li", { className: "risk-firing", attrs: { "data-testid": "firing" } },
      el("time", { text: fmtTime(f.time), attrs: { datetime: f.time } }), " ", el("strong", { text: "risk" }), f.symbol ? ` ${f.symbol}` : "", " ", el("span", { text: f.message || f.kind || "" }));
  }
  return el("li", { attrs: { "data-testid": "firing" } },
    el("time", { text: fmtTime(f.time), attrs: { datetime: f.time } }), " ",
    el("strong", { text: f.symbol }), " ",
    el("span", { text: `${String(f.type).replace(/_/g, " ")} ${f.type === "percent_change" ? `${f.threshold}%` : fmtPrice(f.threshold)} — at ${fmtPrice(f.price)} (${f.source})` }),
    f.note ? el("span", { className: "note", text: ` “${f.note}”` }) : null);
}

/** Price-alert firings and risk-breach firings (when the server has them), newest first. */
export async function loadFirings() {
  const [alertPage, riskPage] = await Promise.allSettled([get("/api/v1/alerts/triggers", { limit: 30 }), get("/api/v1/risk/firings")]);
  if (alertPage.status !== "fulfilled") return;
  const all = [...alertPage.value.items, ...(riskPage.status === "fulfilled" ? riskPage.value.items.slice(0, 30) : [])]
    .sort((a, b) => String(b.time).localeCompare(String(a.time)));
  $("firings").replaceChildren(...all.slice(0, 40).map(firingItem));
}

function openEdit(alert) {
  editing = alert;
  const form = $("alert-edit-form");
  clearProblems(form, $("ae-error"));
  setText($("alert-edit-title"), `Edit alert: ${alert.symbol} ${alert.type.replace(/_/g, " ")}`);
  $("ae-threshold").value = alert.threshold;
  $("ae-status").value = alert.status;
  $("ae-mode").value = alert.mode;
  $("ae-cooldown").value = alert.cooldown_s ?? "";
  $("ae-note").value = alert.note || "";
  $("alert-edit-dialog").showModal();
  $("ae-threshold").focus();
}

async function saveEdit(event) {
  event.preventDefault();
  const form = $("alert-edit-form");
  clearProblems(form, $("ae-error"));
  const body = {};
  const threshold = num($("ae-threshold"));
  if (threshold !== editing.threshold) body.threshold = threshold;
  if ($("ae-status").value !== editing.status) body.status = $("ae-status").value;
  if ($("ae-mode").value !== editing.mode) body.mode = $("ae-mode").value;
  const cooldown = num($("ae-cooldown"));
  if ((cooldown ?? null) !== (editing.cooldown_s ?? null)) body.cooldown_s = cooldown ?? null;
  if ($("ae-note").value !== (editing.note || "")) body.note = $("ae-note").value;
  try {
    if (Object.keys(body).length) await patch(`/api/v1/alerts/${enc(editing.id)}`, body);
    $("alert-edit-dialog").close();
    emit("alerts-changed");
  } catch (error) {
    showProblem(form, error, $("ae-error"));
  }
}

async function removeAlert(alert) {
  const ok = await ask({ title: "Delete alert?", message: `Delete the ${alert.type.replace(/_/g, " ")} ${describe(alert)} alert on ${alert.symbol}? Its firings stay in the history.`, okLabel: "Delete", danger: true });
  if (!ok) return;
  try {
    await del(`/api/v1/alerts/${enc(alert.id)}`);
    emit("alerts-changed");
  } catch (error) {
    setText($("alerts-message"), error.detail);
  }
}

export function initAlerts() {
  $("alert-form").addEventListener("submit", createAlert);
  $("alert-type").addEventListener("change", syncAlertForm);
  $("alert-mode").addEventListener("change", syncAlertForm);
  $("alert-edit-form").addEventListener("submit", saveEdit);
  $("ae-cancel").addEventListener("click", () => $("alert-edit-dialog").close());
  $("alerts-refresh").addEventListener("click", () => { loadAlerts(); loadFirings(); });
  $("alerts-new").addEventListener("click", () => emit("action", { kind: "alert", symbol: state.selected }));
  const refresh = debounce(() => { loadAlerts(); }, 300);
  on("alerts-changed", refresh);
  on("ws:alert", (firing) => {
    $("firings").prepend(firingItem(firing));
    if (firing.type === "risk") {
      toast(firing.message || String(firing.kind || "").replace(/_/g, " "), "bad", `Risk${firing.mode ? `: ${firing.mode}` : ""}`);
      emit("risk-alert", firing);
      return;
    }
    const what = `${String(firing.type).replace(/_/g, " ")} ${firing.type === "percent_change" ? `${firing.threshold}%` : fmtPrice(firing.threshold)}`;
    toast(`${what} — price ${fmtPrice(firing.price)}${firing.note ? ` · ${firing.note}` : ""}`, "alert", `Alert: ${firing.symbol}`);
    emit("alerts-changed");
  });
  syncAlertForm();
}
