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
