// Trading Assistant dashboard: start-up, login/logout, tabs and routing between the modules.
// Plain ES modules, no build step. User text always goes into the page through textContent or
// text nodes (see ui.js `el`), never as markup.
import { get, getToken, clearToken, onUnauthorized, login, logout } from "./api.js";
import { state, on, emit } from "./bus.js";
import { $, setupTabs } from "./ui.js";
import { startSocket, stopSocket } from "./ws.js";
import { initWatchlist, loadWatchlist, selectSymbol } from "./watchlist.js";
import { initChart } from "./chart.js";
import { initPlan, openPlan, openSize } from "./plan.js";
import { initAlerts, openAlert, loadAlerts, loadFirings } from "./alerts.js";
import { initTicket, openTicket } from "./ticket.js";
import { initOrders, loadOrders, loadPositions } from "./orders.js";
import { initJournal, loadJournal } from "./journal.js";
import { initCoach } from "./coach.js";
import { initRisk, loadRisk } from "./risk.js";
import { initSettings, loadSettings } from "./settings.js";
import { initSession, loadSession } from "./session.js";
import { initKeys } from "./keys.js";
import { initNotifications } from "./notify.js";
import { initTheme } from "./theme.js";

let started = false;

const onViewShown = {
  "tab-orders": loadOrders,
  "tab-positions": loadPositions,
  "tab-alerts": () => { loadAlerts(); loadFirings(); },
  "tab-journal": loadJournal,
  "tab-settings": loadSettings,
};
const mainTabs = setupTabs($("main-tabs"), (id) => { if (started) onViewShown[id]?.(); });
const toolTabs = setupTabs($("tool-tabs"));

function showTool(tool, symbol) {
  if (symbol && symbol !== state.selected) selectSymbol(symbol);
  mainTabs.select("tab-trade");
  toolTabs.select(`tooltab-${tool}`);
}

function showLogin(message) {
  started = false;
  stopSocket();
  $("board").hidden = true;
  $("logout").hidden = true;
  $("shortcuts-open").hidden = true;
  $("risk-badge").hidden = true;
  $("market-session").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = message || "";
  $("key").focus();
}

async function start() {
  // A one-time login code from the start-up line or "POST /api/v1/auth/codes": trade it for a
  // session, and take it out of the address bar (and the history) at once.
  const url = new URL(location.href);
  const code = url.searchParams.get("login");
  if (code !== null) {
    url.searchParams.delete("login");
    url.searchParams.delete("token");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
    try {
      await login({ code });
    } catch (error) {
      return showLogin(error.status === 401
        ? "That login link was already used or has expired. Sign in with your API key, or start a new link."
        : `Could not sign in: ${error.detail}`);
    }
  }
  if (!getToken()) return showLogin();
  try {
    await get("/api/v1/settings").then((settings) => { state.settings = settings; });
  } catch (error) {
    if (error.status !== 401) showLogin(error.status ? `Could not log in: ${error.detail}` : error.detail);
    return;
  }
  $("login").hidden = true;
  $("board").hidden = false;
  $("logout").hidden = false;
  $("shortcuts-open").hidden = false;
  started = true;
  await loadWatchlist().catch(() => {});
  loadRisk();
  loadSettings();
  loadSession();
  onViewShown[mainTabs.current()]?.();
  startSocket();
}

/** The app shell's service worker (sw.js): the dashboard can be installed and opens offline. */
function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => { /* the page works without it */ });
}

function wire() {
  initTheme();
  registerServiceWorker();
  initWatchlist();
  initChart();
  initPlan();
  initAlerts();
  initTicket();
  initOrders();
  initJournal();
  initCoach();
  initRisk();
  initSettings();
  initSession();
  initKeys();
  initNotifications();
  $("shortcuts-open").addEventListener("click", () => $("shortcuts-dialog").showModal());

  onUnauthorized(() => {
    clearToken();
    showLogin("Your session has ended. Sign in with your API key (TA_API_KEY, or the file data/api_key).");
  });
  on("action", ({ kind, symbol }) => {
    if (kind === "plan") { showTool("plan", symbol); openPlan(symbol); $("plan-entry").focus(); }
    if (kind === "size") { showTool("size", symbol); openSize(symbol); $("size-entry").focus(); }
    if (kind === "alert") { showTool("alert", symbol); openAlert(symbol); $("alert-threshold").focus(); }
    if (kind === "ticket") { showTool("ticket", symbol); openTicket({ symbol }).then(() => $("ticket-quantity").focus()); }
  });
  on("chart-price", ({ symbol, price }) => { showTool("alert", symbol); openAlert(symbol, price); $("alert-threshold").focus(); });
  on("ticket-prefill", (prefill) => { showTool("ticket", prefill.symbol); openTicket(prefill).then(() => $("ticket-preview").focus()); });
  on("show-tab", (id) => mainTabs.select(id));
  on("select", (symbol) => {
    // The tools follow the selected symbol.
    if ($("plan-symbol").value.toUpperCase() !== symbol) openPlan(symbol);
    if ($("size-symbol").value.toUpperCase() !== symbol) openSize(symbol);
    if ($("alert-symbol").value.toUpperCase() !== symbol) openAlert(symbol);
    if ($("ticket-symbol").value.toUpperCase() !== symbol) openTicket({ symbol });
  });

  $("act-plan").addEventListener("click", () => openAction("plan"));
  $("act-size").addEventListener("click", () => openAction("size"));
  $("act-alert").addEventListener("click", () => openAction("alert"));
  $("act-ticket").addEventListener("click", () => openAction("ticket"));

  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = $("key").value.trim();
    if (!key) return;
    $("key").value = "";
    try {
      await login({ api_key: key });
    } catch (error) {
      return showLogin(error.status === 401 ? "The API key was not accepted." : `Could not sign in: ${error.detail}`);
    }
    start();
  });
  $("logout").addEventListener("click", async () => {
    await logout();
    state.plans.clear();
    showLogin("You are signed out.");
  });
}

function openAction(kind) {
  if (!state.selected) return;
  emit("action", { kind, symbol: state.selected });
}

wire();
start();
