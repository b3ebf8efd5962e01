// Debian's Chromium driven by playwright-core, with a watch on everything a page does: every
// request URL (any that would leave the machine is also aborted) and every page error or
// console error.
import {createRequire} from "node:module";

const require = createRequire(import.meta.url);
const {chromium} = require("playwright-core");

const kChromium = "/usr/bin/chromium";
const kArgs = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export function launchBrowser() {
  return chromium.launch({executablePath: kChromium, args: kArgs});
}

export function isLocalUrl(url) {
  const {protocol, hostname} = new URL(url);
  if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
  return ["127.0.0.1", "localhost", "[::1]"].includes(hostname);
}

// What the watched pages did, across the whole run.
export class Watch {
  requests = [];
  problems = [];

  // A new context and page. `expectNetworkErrors`: the page is meant to meet an API that is
  // down or failing, so Chromium's "Failed to load resource" console lines are not problems
  // there (uncaught page errors still are). A test that provokes a console error on purpose lists
  // a text unique to it in page.expectedConsoleErrors.
  async open(browser, {viewport = {width: 1280, height: 900}, expectNetworkErrors = false} = {}) {
    const context = await browser.newContext({viewport});
    context.setDefaultTimeout(10000);
    context.on("request", (request) => this.requests.push(request.url()));
    await context.route("**/*", (route) => {
      if (isLocalUrl(route.request().url())) route.continue();
      else route.abort("blockedbyclient");
    });
    const page = await context.newPage();
    page.on("pageerror", (error) => this.problems.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      if (expectNetworkErrors && /Failed to load resource|net::ERR_/.test(message.text())) return;
      if (page.expectedConsoleErrors?.some((text) => message.text().includes(text))) return;
      this.problems.push(`console error: ${message.text()} (${message.location().url})`);
    });
    return {context, page};
  }
}
