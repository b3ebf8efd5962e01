// The accessibility audit: axe-core (from the repo's node_modules) run inside a page for the
// WCAG 2.0 and 2.1 level A and AA rules.
//
// axe is evaluated through the DevTools protocol (playwright's page.evaluate), which a page's
// Content Security Policy does not govern, so the site's policy stays exactly as strict as it
// is: nothing is added to the page as a <script> and no context runs with bypassCSP.
// scriptsAreBlocked() proves it on the audited page itself.
import {createHash} from "node:crypto";
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const kWcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

// Resolves to axe's violations for the A and AA rules, each as "rule-id: help (selectors)",
// so a failing assertion says what to fix and where.
export async function wcagViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.evaluate(axeSource);
  }
  const results = await page.evaluate(
    (tags) => window.axe.run(document, {runOnly: {type: "tag", values: tags},
                                        resultTypes: ["violations"]}),
    kWcagTags);
  return results.violations.map((v) =>
    `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

// The Content-Security-Policy in the page's <meta http-equiv>, or null.
export function metaPolicy(page) {
  return page.evaluate(() =>
    document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null);
}

const kProbeScript = "window.__inlineScriptRan = true;";
// Chromium's console error for the refused probe names the script by this hash.
const kProbeHash = `sha256-${createHash("sha256").update(kProbeScript).digest("base64")}`;

// True when the page's policy refuses a script element added to it now: an inline <script>
// does not run and the browser reports a violation of script-src. Run after an audit, it shows
// that the audit ran under the page's own, unloosened policy.
// The console error Chromium logs for the refused probe is expected (see Watch in browser.mjs).
export function scriptsAreBlocked(page) {
  page.expectedConsoleErrors = [...(page.expectedConsoleErrors ?? []), kProbeHash];
  return page.evaluate((probe) => new Promise((resolve) => {
    window.__inlineScriptRan = false;
    const timer = setTimeout(() => resolve(false), 2000);
    document.addEventListener("securitypolicyviolation", (event) => {
      if (!event.effectiveDirective.startsWith("script-src")) return;
      clearTimeout(timer);
      resolve(window.__inlineScriptRan === false);
    });
    const script = document.createElement("script");
    script.textContent = probe;
    document.body.append(script);
    script.remove();
  }), kProbeScript);
}
