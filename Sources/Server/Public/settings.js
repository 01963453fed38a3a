// Settings tab: risk limits and account equity, Discord forwarding, watchlist editing.
import { get, patch, post } from "./api.js";
import { state, on, emit } from "./bus.js";
import { $, el, setText, num, showProblem, clearProblems } from "./ui.js";
import { addSymbol, removeSymbol } from "./watchlist.js";

const RISK_FIELDS = [
  ["set-risk-per-trade", "risk_per_trade_pct", false], ["set-max-daily-loss", "max_daily_loss", false],
  ["set-max-daily-loss-pct", "max_daily_loss_pct", true], ["set-max-open-risk", "max_open_risk_pct", false],
  ["set-max-position", "max_position_size_pct", false], ["set-max-positions", "max_open_positions", true],
];

function fill(settings) {
  state.settings = settings;
  for (const [id, key] of RISK_FIELDS) $(id).value = settings.risk[key] ?? "";
  $("set-equity").value = settings.account.equity ?? "";
  $("set-currency").value = settings.account.currency ?? "";
  const d = settings.discord;
  $("discord-url").value = d.webhook_url ?? "";
  setText($("discord-url-current"), d.webhook_url ? `Saved: …${d.webhook_url.slice(-24)} (token masked; leave as is to keep it)` : "No webhook saved.");
  $("discord-username").value = d.username ?? "";
  $("discord-enabled").checked = Boolean(d.enabled);
  for (const box of $("discord-form").querySelectorAll('input[name="alert_type"]')) box.checked = d.alert_types.includes(box.value);
  const reason = $("discord-disabled");
  reason.hidden = !d.disabled_reason;
  setText(reason, d.disabled_reason ? `Forwarding was switched off: ${d.disabled_reason}` : "");
  emit("settings", settings);
}

export async function loadSettings() {
  try { fill(await get("/api/v1/settings")); } catch (error) { setText($("risk-settings-error"), error.detail); }
  renderWatchlistEditor();
}

async function saveRisk(event) {
  event.preventDefault();
  const form = $("risk-settings-form");
  clearProblems(form, $("risk-settings-error"));
  setText($("risk-settings-ok"), "");
  const before = state.settings || { risk: {}, account: {} };
  const body = {};
  for (const [id, key, optional] of RISK_FIELDS) {
    let value = num($(id));
    if (value === undefined) {
      if (!optional) continue;       // required limits cannot be cleared; the field is left as it was
      value = null;                  // an empty optional limit clears it
    }
    if (value !== (before.risk[key] ?? null)) (body.risk ||= {})[key] = value;
  }
  const equity = num($("set-equity"));
  if (equity !== undefined && equity !== before.account.equity) (body.account ||= {}).equity = equity;
  const currency = $("set-currency").value.trim().toUpperCase();
  if (currency && currency !== before.account.currency) (body.account ||= {}).currency = currency;
  if (!Object.keys(body).length) { setText($("risk-settings-ok"), "Nothing changed."); return; }
  try {
    fill(await patch("/api/v1/settings", body));
    setText($("risk-settings-ok"), "Saved.");
  } catch (error) {
    showProblem(form, error, $("risk-settings-error"));
  }
}

async function saveDiscord(event) {
  event.preventDefault();
  const form = $("discord-form");
  clearProblems(form, $("discord-error"));
  setText($("discord-outcome"), "");
  const url = $("discord-url").value.trim();
  const discord = {
    webhook_url: url || null,
    enabled: $("discord-enabled").checked,
    alert_types: [...form.querySelectorAll('input[name="alert_type"]:checked')].map((box) => box.value),
    username: $("discord-username").value.trim() || null,
  };
  try {
    fill(await patch("/api/v1/settings", { discord }));
    setText($("discord-outcome"), "Discord settings saved.");
  } catch (error) {
    showProblem(form, error, $("discord-error"));
  }
}

async function testDiscord() {
  const form = $("discord-form");
  clearProblems(form, $("discord-error"));
  const out = $("discord-outcome");
  setText(out, "Sending…");
  out.className = "wide";
  try {
    const result = await post("/api/v1/settings/discord/test");
    setText(out, `${result.delivered ? "Delivered" : "Not delivered"} (${result.outcome}${result.http_status ? `, HTTP ${result.http_status}` : ""}): ${result.detail}`);
    out.className = `wide ${result.delivered ? "ok" : "error"}`;
    out.dataset.outcome = result.outcome;
    if (result.outcome === "gone") loadSettings();
  } catch (error) {
    setText(out, `Test not sent: ${error.detail}`);
    out.className = "wide error";
    out.dataset.outcome = "error";
  }
}

function renderWatchlistEditor() {
  $("wl-edit-list").replaceChildren(...state.watchlist.map((symbol) => el("li", { className: "chip" },
    el("span", { text: symbol }),
    el("button", {
      type: "button", className: "ghost mini", text: "×",
      attrs: { "aria-label": `Remove ${symbol} from the watchlist`, "data-testid": `wl-remove-${symbol}` },
      on: {
        click: async () => {
          setText($("wl-edit-error"), "");
          try { await removeSymbol(symbol); } catch (error) { setText($("wl-edit-error"), error.detail); }
        },
      },
    }))));
}

export function initSettings() {
  $("risk-settings-form").addEventListener("submit", saveRisk);
  $("discord-form").addEventListener("submit", saveDiscord);
  $("discord-test").addEventListener("click", testDiscord);
  $("wl-edit-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    clearProblems(form, $("wl-edit-error"));
    try {
      await addSymbol($("wl-edit-input").value.trim());
      $("wl-edit-input").value = "";
    } catch (error) {
      showProblem(form, error, $("wl-edit-error"));
    }
  });
  on("watchlist", renderWatchlistEditor);
}
