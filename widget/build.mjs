// Builds widget/dist/widget.js (one minified file, CSS inlined) with esbuild and prints its
// gzip size; fails above the budget. Run by scripts/build-widget (make setup).
import { build } from "esbuild";
import { readFileSync, mkdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist", "widget.js");
const BUDGET_BYTES = 50 * 1024;

mkdirSync(join(here, "dist"), { recursive: true });
await build({
  entryPoints: [join(here, "src", "index.js")],
  outfile: out,
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  loader: { ".css": "text" },
  legalComments: "none",
  sourcemap: "linked",
  banner: { js: "/* shop assistant widget - see docs/widget.md */" },
  logLevel: "warning",
});
const bytes = readFileSync(out);
const gz = gzipSync(bytes, { level: 9 }).length;
console.log(`widget/dist/widget.js: ${(bytes.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzip (budget ${BUDGET_BYTES / 1024} KB gzip)`);
if (gz > BUDGET_BYTES) {
  console.error("widget/dist/widget.js is over its size budget");
  process.exit(1);
}
