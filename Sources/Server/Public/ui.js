// DOM helpers. Text always goes in through textContent / text nodes, never as markup.
export const $ = (id) => document.getElementById(id);

/** el("td", {className: "num", text: "1.00", attrs: {"data-testid": "x"}, on: {click}}, child…) */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  const { text, className, attrs, dataset, on, ...rest } = props;
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const [key, value] of Object.entries(dataset || {})) node.dataset[key] = String(value);
  for (const [event, handler] of Object.entries(on || {})) node.addEventListener(event, handler);
  Object.assign(node, rest);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces a node's children, skipping null/false (conditional parts). */
export function put(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

export function setText(node, text) { node.textContent = text === null || text === undefined ? "" : String(text); }

const isNum = (value) => typeof value === "number" && Number.isFinite(value);
export function fmtPrice(value) {
  if (!isNum(value)) return "–";
  const digits = Math.abs(value) < 1 ? 4 : 2;
  return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: digits });
}
export function fmtMoney(value) {
  if (!isNum(value)) return "–";
  return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
export function fmtSigned(value, formatter = fmtMoney) {
  if (!isNum(value)) return "–";
  return (value > 0 ? "+" : value < 0 ? "−" : "") + formatter(Math.abs(value));
}
export function fmtPct(value, signed = false) {
  if (!isNum(value)) return "–";
  const text = `${Math.abs(value).toLocaleString("en-US", { maximumFractionDigits: 2 })} %`;
  if (!signed) return value < 0 ? `−${text}` : text;
  return (value > 0 ? "+" : value < 0 ? "−" : "") + text;
}
export function fmtNum(value, digits = 2) {
  if (!isNum(value)) return "–";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}
/** An instant in New York time (docs/sessions.md): "14:05:09 ET" today, "Dec 1, 14:05 ET" otherwise. */
export function fmtTime(iso) {
  if (!iso) return "–";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "–";
  const today = nyClock(Date.now()).date === nyClock(date).date;
  const options = today
    ? { timeZone: NY_ZONE, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }
    : { timeZone: NY_ZONE, month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  return `${date.toLocaleString("en-US", options)} ET`;
}
/** Market times are New York times, whatever the browser's zone (docs/sessions.md). */
export const NY_ZONE = "America/New_York";
const nyParts = new Intl.DateTimeFormat("en-US", { timeZone: NY_ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", weekday: "short", hourCycle: "h23" });
/** { date: "yyyy-MM-dd", minute: minutes after New York midnight, hhmm: "HH:MM", weekday: "Mon" } of an instant. */
export function nyClock(value) {
  const parts = Object.fromEntries(nyParts.formatToParts(new Date(value)).map((p) => [p.type, p.value]));
  const hour = Number(parts.hour) % 24, minute = Number(parts.minute);
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minute: hour * 60 + minute, hhmm: `${String(hour).padStart(2, "0")}:${parts.minute}`, weekday: parts.weekday };
}
/** "2h 05m", "3d 4h", "12m" until `target` (ms or ISO) from `now`. */
export function fmtCountdown(target, now = Date.now()) {
  const minutes = Math.max(0, Math.round((new Date(target).getTime() - now) / 60000));
  const days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), rest = minutes % 60;
  if (days) return `${days}d ${hours}h`;
  if (hours) return `${hours}h ${String(rest).padStart(2, "0")}m`;
  return `${rest}m`;
}
export const signClass = (value) => (isNum(value) && value > 0 ? "pos" : isNum(value) && value < 0 ? "neg" : "");

/** Parses a decimal input; "" → undefined, garbage → NaN (the server reports it). */
export function num(input) {
  const text = String(input.value ?? "").trim().replace(/,/g, "");
  if (text === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : text;
}
/** A round axis step (1, 2, 2.5 or 5 × 10ⁿ) giving about `count` ticks over `span`. */
export function niceStep(span, count) {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) || raw;
}

/** Rounds for prefilled prices, avoiding binary artefacts such as 0.30000000000000004. */
export const round2 = (value) => Number(value.toFixed(2));

// ---- problems next to the fields they concern ---------------------------------------------------

export function clearProblems(form, messageEl) {
  if (messageEl) setText(messageEl, "");
  for (const node of form.querySelectorAll(".field-error")) node.remove();
  for (const node of form.querySelectorAll("[aria-invalid]")) {
    node.removeAttribute("aria-invalid");
    if (node.dataset.describedby) node.setAttribute("aria-describedby", node.dataset.describedby);
    else node.removeAttribute("aria-describedby");
    delete node.dataset.describedby;
  }
}

/** Shows a problem: `detail` in messageEl and each errors[].message next to its [data-field]. */
export function showProblem(form, error, messageEl) {
  clearProblems(form, messageEl);
  const unmatched = [];
  for (const item of error.errors || []) {
    const field = String(item.field || "");
    const base = field.replace(/\[\d+\]$/, "");
    const target = form.querySelector(`[data-field="${CSS.escape(field)}"]`) || form.querySelector(`[data-field="${CSS.escape(base)}"]`);
    if (!target) { unmatched.push(`${field}: ${item.message}`); continue; }
    const id = `${target.id || base.replace(/\W/g, "-")}-error`;
    const note = el("span", { className: "field-error", id, text: item.message });
    const before = target.getAttribute("aria-describedby");
    if (before && !target.hasAttribute("aria-invalid")) target.dataset.describedby = before;
    target.setAttribute("aria-invalid", "true");
    target.setAttribute("aria-describedby", [target.dataset.describedby, id].filter(Boolean).join(" "));
    (target.closest(".field") || target).append(note);
  }
  if (messageEl) setText(messageEl, [error.detail || error.message, ...unmatched].filter(Boolean).join(" — "));
}

// ---- toasts --------------------------------------------------------------------------------------

export function toast(message, kind = "info", title = null, ms = 8000) {
  const box = el("div", { className: `toast ${kind}`, attrs: { "data-testid": "toast" } },
    title ? el("strong", { text: title }) : null,
    el("span", { text: message }),
    el("button", { type: "button", className: "ghost close", text: "×", attrs: { "aria-label": "Dismiss" }, on: { click: () => box.remove() } }));
  $("toasts").append(box);
  while ($("toasts").children.length > 4) $("toasts").firstElementChild.remove();
  setTimeout(() => box.remove(), ms);
  return box;
}

// ---- tabs (WAI-ARIA tablist: arrows/Home/End move, aria-selected, panels hidden) ---------------

export function setupTabs(tablist, onSelect = () => {}) {
  const tabs = [...tablist.querySelectorAll('[role="tab"]')];
  const select = (tab, focus = false) => {
    if (typeof tab === "string") tab = tabs.find((t) => t.id === tab);
    if (!tab) return;
    for (const t of tabs) {
      const active = t === tab;
      t.setAttribute("aria-selected", active ? "true" : "false");
      t.tabIndex = active ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !active;
    }
    if (focus) tab.focus();
    onSelect(tab.id);
  };
  tablist.addEventListener("click", (event) => {
    const tab = event.target.closest('[role="tab"]');
    if (tab) select(tab);
  });
  tablist.addEventListener("keydown", (event) => {
    const index = tabs.indexOf(document.activeElement);
    if (index < 0) return;
    const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    select(tabs[(moves[event.key] + tabs.length) % tabs.length], true);
  });
  const current = tabs.find((t) => t.getAttribute("aria-selected") === "true") || tabs[0];
  for (const t of tabs) t.tabIndex = t === current ? 0 : -1;
  return { select, current: () => tabs.find((t) => t.getAttribute("aria-selected") === "true")?.id };
}

// ---- a reusable "are you sure?" dialog, optionally asking for a reason (true: required, "optional") --

export function ask({ title, message, okLabel = "OK", danger = false, reason = false, reasonLabel = "Reason" }) {
  const dialog = $("ask-dialog");
  setText($("ask-title"), title);
  setText($("ask-message"), message);
  setText($("ask-ok"), okLabel);
  setText($("ask-error"), "");
  setText(dialog.querySelector('label[for="ask-reason"]'), reasonLabel);
  $("ask-ok").className = danger ? "danger" : "primary";
  $("ask-reason-box").hidden = !reason;
  $("ask-reason").value = "";
  return new Promise((resolve) => {
    const finish = (value) => {
      $("ask-form").removeEventListener("submit", submit);
      $("ask-cancel").removeEventListener("click", cancel);
      dialog.removeEventListener("cancel", cancel);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const submit = (event) => {
      event.preventDefault();
      const text = $("ask-reason").value.trim();
      if (reason === true && !text) { setText($("ask-error"), "Please give a reason."); $("ask-reason").focus(); return; }
      finish(reason ? text : true);
    };
    const cancel = (event) => { event?.preventDefault(); finish(null); };
    $("ask-form").addEventListener("submit", submit);
    $("ask-cancel").addEventListener("click", cancel);
    dialog.addEventListener("cancel", cancel);
    dialog.showModal();
    (reason ? $("ask-reason") : $("ask-cancel")).focus();
  });
}
