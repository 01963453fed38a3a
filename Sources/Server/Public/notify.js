// Notifications on this device (docs/dashboard.md, "Notifications"): a browser notification and an
// optional sound for alert firings, risk breaches and fills, each switchable in Settings and kept in
// this browser's localStorage (no secret in it). Permission is asked for only when the user turns
// notifications on (a click). A notification's click brings the tab forward on the right view.
import { on, emit } from "./bus.js";
import { $, fmtPrice, fmtNum } from "./ui.js";

const KEY = "ta.notifications";
const KINDS = ["alert", "risk", "fill"];
const DEFAULTS = { enabled: false, sound: false, alert: true, risk: true, fill: true };

function load() {
  try { return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(KEY) || "{}") }; } catch { return { ...DEFAULTS }; }
}
let prefs = load();

function save() { localStorage.setItem(KEY, JSON.stringify(prefs)); }

/** What a notification says, and the view its click opens. */
export function describe(kind, data) {
  if (kind === "risk") return { title: "Risk limit", body: data.message || String(data.kind || "").replace(/_/g, " "), view: "tab-risk" };
  if (kind === "fill") {
    return { title: `Filled: ${data.symbol}`, body: `${String(data.action).replace(/_/g, " ")} ${fmtNum(data.quantity, 0)} @ ${fmtPrice(data.price)}`, view: "tab-orders" };
  }
  const what = String(data.type || "").replace(/_/g, " ");
  return { title: `Alert: ${data.symbol}`, body: `${what} ${data.threshold ?? ""} — price ${fmtPrice(data.price)}`.trim(), view: "tab-alerts" };
}

let audio = null;
function beep() {
  try {
    audio = audio || new AudioContext();
    const tone = audio.createOscillator(), gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
  } catch { /* no audio: the notification still shows */ }
}

function notify(kind, data) {
  if (!prefs.enabled || !prefs[kind]) return;
  const { title, body, view } = describe(kind, data);
  if (prefs.sound) beep();
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  const note = new Notification(title, { body, tag: `${kind}-${data.id || data.alert_id || data.symbol || ""}` });
  note.onclick = () => { window.focus(); emit("show-tab", view); note.close(); };
}

function render() {
  $("notify-enabled").checked = prefs.enabled;
  $("notify-sound").checked = prefs.sound;
  for (const kind of KINDS) $(`notify-${kind}`).checked = prefs[kind];
  const permission = "Notification" in window ? Notification.permission : "unsupported";
  $("notify-status").textContent = permission === "denied"
    ? "The browser blocks notifications for this site: allow them in its site settings."
    : permission === "unsupported" ? "This browser has no notifications; the sound still works." : "";
}

export function initNotifications() {
  $("notify-enabled").addEventListener("change", async (event) => {
    prefs.enabled = event.target.checked;
    // Asked on this click (a user gesture), never on page load.
    if (prefs.enabled && "Notification" in window && Notification.permission === "default") await Notification.requestPermission();
    save();
    render();
  });
  $("notify-sound").addEventListener("change", (event) => { prefs.sound = event.target.checked; save(); });
  for (const kind of KINDS) $(`notify-${kind}`).addEventListener("change", (event) => { prefs[kind] = event.target.checked; save(); });
  on("ws:alert", (firing) => notify(firing.type === "risk" ? "risk" : "alert", firing));
  on("ws:fill", (fill) => notify("fill", fill));
  render();
}
