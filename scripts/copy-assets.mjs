// Copy the compiled front-end assets stocktake serves into src/stocktake/web/assets/vendor/.
//
// No bundler: nhsuk-frontend ships compiled CSS and an ES module, htmx ships a
// minified script, so copying them is the whole build. Run with `npm run build`
// after `npm ci`. The vendor folder is git-ignored and rebuilt from scratch.
//
// Layout produced (templates refer to these paths through static('vendor/...')):
//   vendor/nhsuk/nhsuk-frontend.min.css   (+ .map)
//   vendor/nhsuk/nhsuk-frontend.min.js    (+ .map; an ES module: load with type="module")
//   vendor/nhsuk/assets/images/*          favicons, icons, logos, opengraph image
//   vendor/nhsuk/assets/manifest.json
//   vendor/htmx/htmx.min.js
//
// nhsuk-frontend's compiled CSS points at its icons with root-absolute URLs
// (url(/assets/images/...)); those are rewritten to be relative to the CSS file
// so they resolve under STATIC_URL. The Frutiger web fonts are not in the npm
// package and the CSS would fetch them from https://assets.nhs.uk: those
// @font-face rules are removed, because stocktake sends nothing off the
// machine (not even a font request revealing who uses it); pages use the
// design system's Arial fallback.

import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "src", "stocktake", "web", "assets", "vendor");
const modules = join(root, "node_modules");

function need(path) {
  if (!existsSync(path)) {
    console.error(`copy-assets: ${path} is missing; run \`npm ci\` first.`);
    process.exit(1);
  }
  return path;
}

const nhsuk = need(join(modules, "nhsuk-frontend", "dist", "nhsuk"));
const htmx = need(join(modules, "htmx.org", "dist"));
const require = createRequire(import.meta.url);
const nhsukVersion = require(join(modules, "nhsuk-frontend", "package.json")).version;
const htmxVersion = require(join(modules, "htmx.org", "package.json")).version;

rmSync(vendor, { recursive: true, force: true });
mkdirSync(join(vendor, "nhsuk"), { recursive: true });
mkdirSync(join(vendor, "htmx"), { recursive: true });

// Stylesheet, with icon URLs made relative to the stylesheet itself.
const css = readFileSync(need(join(nhsuk, "nhsuk-frontend.min.css")), "utf8");
writeFileSync(
  join(vendor, "nhsuk", "nhsuk-frontend.min.css"),
  css
    .replaceAll("url(/assets/", "url(assets/")
    .replace(/@font-face\{[^}]*https?:\/\/[^}]*\}/g, ""),
);
cpSync(join(nhsuk, "nhsuk-frontend.min.css.map"), join(vendor, "nhsuk", "nhsuk-frontend.min.css.map"));

// JavaScript (an ES module exporting initAll and the component classes).
for (const name of ["nhsuk-frontend.min.js", "nhsuk-frontend.min.js.map"]) {
  cpSync(need(join(nhsuk, name)), join(vendor, "nhsuk", name));
}

// Favicons, icons, logos and the web manifest.
cpSync(need(join(nhsuk, "assets")), join(vendor, "nhsuk", "assets"), { recursive: true });

// HTMX, progressive enhancement only: every page works without it.
cpSync(need(join(htmx, "htmx.min.js")), join(vendor, "htmx", "htmx.min.js"));

writeFileSync(
  join(vendor, "VERSIONS.txt"),
  `nhsuk-frontend ${nhsukVersion}\nhtmx.org ${htmxVersion}\n`,
);
console.log(`copy-assets: nhsuk-frontend ${nhsukVersion} and htmx.org ${htmxVersion} -> ${vendor}`);
