// Starts the NHS.UK components, and again inside whatever HTMX swaps in.
// Loaded as an ES module; every page works without it.
import { initAll } from "./vendor/nhsuk/nhsuk-frontend.min.js";

initAll();

document.body.addEventListener("htmx:afterSwap", (event) => {
  initAll(event.detail.target);
});
