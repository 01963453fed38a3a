// Live events: a single-use token from POST /api/v1/ws/token opens the socket; we subscribe to every
// topic and re-publish frames on the bus as `ws:<type>`. Reconnects with exponential backoff and
// jitter (a new token each time). The indicator shows live / stale (no price for > 10 s, or the
// feed said so) / reconnecting / offline.
import { api, ApiError } from "./api.js";
import { emit } from "./bus.js";
import { $ } from "./ui.js";

const TOPICS = ["prices", "alerts", "risk", "orders", "status"];
const STALE_AFTER_MS = 10000;

const conn = { socket: null, retry: 0, timer: null, watchdog: null, lastPrice: 0, feedStale: false, running: false, state: "offline", nextAt: 0 };

function indicate(stateName, text) {
  const badge = $("connection");
  conn.state = stateName;
  if (badge.dataset.state === stateName && badge.textContent === text) return;
  badge.dataset.state = stateName;
  badge.className = `badge conn-${stateName}`;
  badge.textContent = text;
  badge.title = {
    live: "Connected; prices are arriving",
    stale: "Connected, but no fresh prices for more than 10 seconds",
    reconnecting: "The live connection dropped; reconnecting",
    connecting: "Opening the live connection",
    offline: "Not connected",
  }[stateName] || "";
}

function tick() {
  if (!conn.running) return;
  const open = conn.socket && conn.socket.readyState === WebSocket.OPEN;
  if (!open) {
    if (conn.timer) {
      const seconds = Math.max(0, Math.ceil((conn.nextAt - Date.now()) / 1000));
      indicate("reconnecting", `reconnecting in ${seconds}s`);
    }
    return;
  }
  const silent = Date.now() - conn.lastPrice > STALE_AFTER_MS;
  if (conn.feedStale || silent) indicate("stale", conn.feedStale ? "stale feed" : "stale: no prices");
  else indicate("live", "live");
}

function schedule() {
  if (!conn.running || conn.timer) return;
  const base = Math.min(30000, 1000 * 2 ** conn.retry);
  const delay = Math.round(base / 2 + Math.random() * base / 2);
  conn.retry += 1;
  conn.nextAt = Date.now() + delay;
  conn.timer = setTimeout(() => { conn.timer = null; connect(); }, delay);
  tick();
}

async function connect() {
  if (!conn.running) return;
  indicate(conn.retry ? "reconnecting" : "connecting", conn.retry ? "reconnecting…" : "connecting…");
  let ticket;
  try {
    ticket = await api("/api/v1/ws/token", { method: "POST" });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return; // back to the login form
    schedule();
    return;
  }
  if (!conn.running) return;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const url = /^wss?:/.test(ticket.url) ? ticket.url : `${scheme}://${location.host}${ticket.url || `/api/v1/ws?token=${encodeURIComponent(ticket.token)}`}`;
  const socket = new WebSocket(url);
  conn.socket = socket;
  socket.addEventListener("open", () => {
    conn.retry = 0;
    conn.lastPrice = Date.now();
    socket.send(JSON.stringify({ action: "subscribe", topics: TOPICS }));
    indicate("live", "live");
    emit("ws:open");
  });
  socket.addEventListener("message", (message) => {
    let frame;
    try { frame = JSON.parse(message.data); } catch { return; }
    if (!frame || typeof frame.type !== "string") return;
    if (frame.type === "price") conn.lastPrice = Date.now();
    if (frame.type === "status") {
      const kind = frame.data && frame.data.kind;
      if (kind === "feed_stale" || kind === "feed_reconnecting" || kind === "feed_failed") conn.feedStale = true;
      if (kind === "feed_live" || kind === "feed_quiet" || (kind === "connected" && frame.data.feed && frame.data.feed.state === "connected")) conn.feedStale = false;
    }
    emit(`ws:${frame.type}`, frame.data || {}, frame.ts);
    tick();
  });
  socket.addEventListener("close", () => {
    if (conn.socket !== socket) return;
    conn.socket = null;
    emit("ws:close");
    if (conn.running) schedule();
  });
}

export function startSocket() {
  if (conn.running) return;
  conn.running = true;
  conn.retry = 0;
  conn.watchdog = setInterval(tick, 1000);
  connect();
}

export function stopSocket() {
  conn.running = false;
  clearTimeout(conn.timer);
  conn.timer = null;
  clearInterval(conn.watchdog);
  const socket = conn.socket;
  conn.socket = null;
  if (socket) socket.close(1000, "logout");
  indicate("offline", "offline");
}

export const connectionState = () => conn.state;
