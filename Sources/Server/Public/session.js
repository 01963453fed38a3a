// The market session in the header: open / pre-market / after hours / closed, with the time to the
// next open or close in New York time (GET /api/v1/market/status; refreshed every 30 s and on each
// `status` event of kind `session`). Says when the simulated market runs around the clock.
import { get } from "./api.js";
import { on, emit } from "./bus.js";
import { $, setText, nyClock, fmtCountdown } from "./ui.js";

const LABELS = { regular: "Market open", pre: "Pre-market", post: "After hours", closed: "Market closed" };
// `offset`: the server's clock minus the browser's (from `as_of`), so the header clock shows the
// server's New York time even when the two disagree.
const view = { status: null, timer: null, offset: 0 };

/** The New York clock in the header: "Tue 10:32 ET" (the server's time). */
function renderClock() {
  const clock = $("ny-clock");
  if (!view.status) { clock.hidden = true; return; }
  const at = nyClock(Date.now() + view.offset);
  clock.hidden = false;
  setText(clock, `${at.weekday} ${at.hhmm} ET`);
  clock.dateTime = new Date(Date.now() + view.offset).toISOString();
}

/** "Mon 09:30 ET" when not today, "09:30 ET" today (New York). */
function when(iso) {
  const at = nyClock(iso), today = nyClock(Date.now());
  return `${at.date === today.date ? "" : `${at.weekday} `}${at.hhmm} ET`;
}

export function sessionText(status, now = Date.now()) {
  const label = LABELS[status.session] || status.session;
  let text;
  if (status.session === "regular") {
    text = `${label} · closes ${when(status.next_close)} (in ${fmtCountdown(status.next_close, now)})${status.early_close ? " · early close" : ""}`;
  } else {
    text = `${label}${status.holiday ? ` (${status.holiday})` : ""} · opens ${when(status.next_open)} (in ${fmtCountdown(status.next_open, now)})`;
  }
  if (status.sim_session === "always_open") text += " · simulator always open";
  return text;
}

function render() {
  renderClock();
  const badge = $("market-session");
  const status = view.status;
  badge.hidden = !status;
  if (!status) return;
  setText(badge, sessionText(status));
  badge.dataset.session = status.session;
  badge.className = `badge session-${status.session}`;
  badge.title = status.sim_session === "always_open"
    ? "The simulated market ticks at any hour (TA_SIM_SESSION=always_open); the real market's session is shown."
    : "US equity market session, New York time";
}

/** The session now ("pre", "regular", "post", "closed"), or "" before the first answer. */
export function currentSession() {
  return view.status ? view.status.session : "";
}

export async function loadSession() {
  try {
    view.status = await get("/api/v1/market/status");
    view.offset = new Date(view.status.as_of).getTime() - Date.now();
  } catch {
    view.status = null;
  }
  render();
  emit("session", currentSession());
}

export function initSession() {
  on("ws:status", (data) => { if (data.kind === "session") loadSession(); });
  on("ws:open", () => loadSession());
  clearInterval(view.timer);
  // The clock and countdown move every 15 s; a fresh status every 5 minutes catches calendar changes.
  let beats = 0;
  view.timer = setInterval(() => { if (++beats % 20 === 0) loadSession(); else render(); }, 15000);
}
