// Audits Beacon pages in a real headless Chromium: axe-core (WCAG 2 A/AA
// rules), no horizontal overflow on a 375 px phone, in light and dark mode,
// with JavaScript disabled for the page itself (axe is injected by the driver).
//
// Usage: node audit.mjs OUT_DIR URL...   (prints one JSON report on stdout;
// exit 0 when every page passes, 1 otherwise)
import { chromium } from "playwright-core";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [outDir, ...urls] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const report = [];
let failed = false;
try {
  for (const url of urls) {
    for (const [label, width, scheme] of [["desktop", 1280, "light"], ["phone", 375, "light"], ["phone-dark", 375, "dark"]]) {
      // The pages forbid scripts (CSP); the audit bypasses that to inject axe only.
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme, bypassCSP: true, javaScriptEnabled: true });
      const page = await context.newPage();
      const response = await page.goto(url, { waitUntil: "load" });
      // Folded forms (report a problem, subscribe) are audited unfolded too.
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
      await page.addScriptTag({ content: axeSource });
      const axe = await page.evaluate(async () => {
        const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
      });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      const name = `${new URL(url).pathname.replace(/[^a-z0-9]+/gi, "_") || "root"}-${label}.png`;
      await page.screenshot({ path: `${outDir}/${name}`, fullPage: true });
      const ok = axe.length === 0 && overflow <= 0;
      failed ||= !ok;
      report.push({ url, label, status: response?.status(), violations: axe, overflow_px: overflow, screenshot: name, ok });
      await context.close();
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report, null, 2));
process.exit(failed ? 1 : 0);
