// Starts the NHS.UK components, and again inside whatever HTMX swaps in.
// Loaded as an ES module; every page works without it.
import { initAll } from "./vendor/nhsuk/nhsuk-frontend.min.js";

initAll();

document.body.addEventListener("htmx:afterSwap", (event) => {
  initAll(event.detail.target);
});

// After a coding decision is swapped in, move focus to what it says, so
// keyboard and screen reader users hear the outcome and stay in the panel.
document.body.addEventListener("htmx:afterSettle", () => {
  const said = document.querySelector("#coding-error, #coding-note");
  if (said && said.dataset.focused !== "yes") {
    said.dataset.focused = "yes";
    said.focus();
  }
});

// The coding workspace's keyboard shortcuts (a form marked data-coding-keys): digits tick
// themes, "s" saves, "n" skips, "u" undoes the last save. Off while typing in a field, and
// off altogether with the "Use the keyboard shortcuts" box (kept in this browser), as
// WCAG 2.1.4 asks of single-key shortcuts.
const codingForm = document.querySelector("form[data-coding-keys]");
if (codingForm || document.querySelector("form[data-shortcut-undo]")) {
  const toggle = document.querySelector("[data-shortcuts-toggle]");
  const stored = window.localStorage.getItem("stocktake-shortcuts");
  if (toggle && stored === "off") toggle.checked = false;
  toggle?.addEventListener("change", () => {
    window.localStorage.setItem("stocktake-shortcuts", toggle.checked ? "on" : "off");
  });
  document.addEventListener("keydown", (event) => {
    if (toggle && !toggle.checked) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest("input[type=text], input:not([type]), textarea, select, [contenteditable]")) return;
    const key = event.key.toLowerCase();
    const box = codingForm?.querySelector(`[data-shortcut="${key}"]`);
    if (box) {
      box.checked = !box.checked;
      box.focus();
      event.preventDefault();
    } else if (key === "s" && codingForm) {
      event.preventDefault();
      codingForm.requestSubmit();
    } else if (key === "n" && codingForm) {
      const skip = codingForm.querySelector("[data-shortcut-link]");
      if (skip) window.location.assign(skip.href);
    } else if (key === "u") {
      document.querySelector("form[data-shortcut-undo]")?.requestSubmit();
    }
  });
}
