// Light or dark (docs/dashboard.md, "Theme"): follows the system setting unless the header's toggle
// chose one; the choice is kept in this browser's localStorage. Sets <html data-theme> and emits
// `theme` so canvases redraw with the new colours.
import { emit } from "./bus.js";
import { $, setText } from "./ui.js";

const KEY = "ta.theme";
const CHOICES = ["system", "light", "dark"];
const system = window.matchMedia("(prefers-color-scheme: dark)");

function choice() {
  const stored = localStorage.getItem(KEY);
  return CHOICES.includes(stored) ? stored : "system";
}

function apply() {
  const chosen = choice();
  const dark = chosen === "dark" || (chosen === "system" && system.matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
  const button = $("theme-toggle");
  if (button) {
    setText(button, `Theme: ${chosen}`);
    button.title = `Light or dark: ${chosen === "system" ? `the system's (${dark ? "dark" : "light"})` : chosen}; click to change`;
  }
  emit("theme", dark ? "dark" : "light");
}

/** A colour of the current theme (a CSS custom property of <html>), for canvas drawing. */
export function themeColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim();
}

export function initTheme() {
  apply();
  system.addEventListener("change", apply);
  $("theme-toggle").addEventListener("click", () => {
    localStorage.setItem(KEY, CHOICES[(CHOICES.indexOf(choice()) + 1) % CHOICES.length]);
    apply();
  });
}
