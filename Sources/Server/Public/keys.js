// Keyboard shortcuts (docs/dashboard.md, "Keyboard"): one key each for the common actions, never
// while typing in a field or with Ctrl/Alt/Meta held; `?` lists them in a dialog. Escape closes any
// open dialog (the browser's own behaviour for <dialog>).
import { state, emit } from "./bus.js";
import { $ } from "./ui.js";

/** key → [what it does, action]. */
const SHORTCUTS = [
  ["/", "Focus the symbol box (add to the watchlist)", () => $("add-symbol-input").focus()],
  ["p", "Build Plan for the selected symbol", () => emit("action", { kind: "plan", symbol: state.selected })],
  ["s", "Size It for the selected symbol", () => emit("action", { kind: "size", symbol: state.selected })],
  ["a", "Set Alert for the selected symbol", () => emit("action", { kind: "alert", symbol: state.selected })],
  ["t", "Trade: the order ticket for the selected symbol", () => emit("action", { kind: "ticket", symbol: state.selected })],
  ["?", "Show these shortcuts", () => showShortcuts()],
];

/** Whether a key press belongs to what the user is typing. */
function typing(target) {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function showShortcuts() {
  const dialog = $("shortcuts-dialog");
  if (!dialog.open) dialog.showModal();
}

export function initKeys() {
  const body = $("shortcuts-body");
  body.replaceChildren(...SHORTCUTS.map(([key, text]) => {
    const row = document.createElement("tr");
    const keyCell = document.createElement("td");
    const kbd = document.createElement("kbd");
    kbd.textContent = key;
    keyCell.append(kbd);
    const what = document.createElement("td");
    what.textContent = text;
    row.append(keyCell, what);
    return row;
  }));
  $("shortcuts-close").addEventListener("click", () => $("shortcuts-dialog").close());
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    if ($("board").hidden || document.querySelector("dialog[open]")) return;
    const shortcut = SHORTCUTS.find(([key]) => key === event.key);
    if (!shortcut) return;
    event.preventDefault();
    shortcut[2]();
  });
}
