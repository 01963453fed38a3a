// Minimal live view: log in with the start-up token, list the watchlist with live prices over the
// WebSocket, add symbols, show alert firings. User text is always inserted as text, never HTML.
const state = { key: sessionStorage.getItem("ta.key"), socket: null, retry: 0, rows: new Map() };
const $ = (id) => document.getElementById(id);

function api(path, options = {}) {
  return fetch(path, { ...options, headers: { "X-API-Key": state.key, "Content-Type": "application/json", ...(options.headers || {}) } });
}

function setConnection(text, kind) {
  const badge = $("connection");
  badge.textContent = text;
  badge.className = "badge " + (kind || "");
}

function cell(row, index, text, className) {
  const td = row.cells[index];
  td.textContent = text;
  if (className !== undefined) td.className = className;
}

function render(q) {
  let row = state.rows.get(q.symbol);
  if (!row) {
    row = $("quotes").tBodies[0].insertRow();
    for (let i = 0; i < 7; i++) row.insertCell();
    state.rows.set(q.symbol, row);
  }
  const change = q.change === null ? "" : `${q.change > 0 ? "+" : ""}${q.change} (${q.change_pct}%)`;
  cell(row, 0, q.symbol);
  cell(row, 1, q.last ?? "");
  cell(row, 2, change, q.change > 0 ? "up" : q.change < 0 ? "down-move" : "");
  cell(row, 3, q.bid ?? "");
  cell(row, 4, q.ask ?? "");
  cell(row, 5, new Date(q.as_of).toLocaleTimeString());
  cell(row, 6, q.stale ? "stale" : "live");
  row.className = q.stale ? "stale" : "";
}

async function connect() {
  const response = await api("/api/v1/ws/token", { method: "POST" });
  if (response.status === 401) return showLogin("The key was not accepted.");
  const { url } = await response.json();
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}${url}`);
  state.socket = socket;
  socket.onopen = () => {
    state.retry = 0;
    setConnection("live", "live");
    socket.send(JSON.stringify({ action: "subscribe", topics: ["prices", "alerts"] }));
  };
  socket.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === "price") render(event.data);
    if (event.type === "alert") {
      const item = document.createElement("li");
      item.textContent = `${new Date(event.data.time).toLocaleTimeString()} ${event.data.symbol} ${event.data.type} ${event.data.threshold} at ${event.data.price} ${event.data.note}`;
      $("alerts").prepend(item);
    }
    if (event.type === "status" && event.data.kind !== "connected") {
      $("feed").textContent = event.data.message;
      if (event.data.kind === "feed_stale" || event.data.kind === "feed_reconnecting") setConnection("stale", "stale");
      if (event.data.kind === "feed_live") setConnection("live", "live");
      for (const symbol of event.data.stale_symbols || []) state.rows.get(symbol)?.classList.add("stale");
    }
  };
  socket.onclose = () => {
    if (!state.key) return;
    setConnection("reconnecting…", "down");
    const delay = Math.min(30000, 500 * 2 ** state.retry++) * (0.5 + Math.random() / 2);
    setTimeout(connect, delay);
  };
}

async function loadWatchlist() {
  const response = await api("/api/v1/watchlist");
  if (response.status === 401) return showLogin("The key was not accepted.");
  const { symbols } = await response.json();
  for (const [symbol, row] of state.rows) if (!symbols.includes(symbol)) { row.remove(); state.rows.delete(symbol); }
}

function showLogin(message) {
  $("login").hidden = false;
  $("board").hidden = true;
  $("login-error").textContent = message || "";
  setConnection("logged out", "down");
}

async function start() {
  const token = new URLSearchParams(location.search).get("token");
  if (token) {
    state.key = token;
    sessionStorage.setItem("ta.key", token);
    history.replaceState(null, "", "/");
  }
  if (!state.key) return showLogin();
  $("login").hidden = true;
  $("board").hidden = false;
  await loadWatchlist();
  await connect();
}

$("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  state.key = $("key").value.trim();
  sessionStorage.setItem("ta.key", state.key);
  start();
});
$("logout").addEventListener("click", () => {
  sessionStorage.removeItem("ta.key");
  state.key = null;
  state.socket?.close();
  showLogin();
});
$("add-symbol").addEventListener("submit", async (event) => {
  event.preventDefault();
  const response = await api("/api/v1/watchlist", { method: "POST", body: JSON.stringify({ symbol: $("symbol").value }) });
  if (response.ok) { $("symbol").value = ""; await loadWatchlist(); }
  else { const problem = await response.json(); $("feed").textContent = (problem.errors || []).map((e) => `${e.field}: ${e.message}`).join("; ") || problem.detail; }
});
start();
