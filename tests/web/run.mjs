// Browser tests of the website against the real system (see system.mjs for what is started).
//   node tests/web/run.mjs              (MYSFITS_BIN_DIR defaults to build/bin)
// Environment: MYSFITS_BIN_DIR, MYSFITS_WEB_MODE=auto|up|monolith, MYSFITS_SCREENSHOT_DIR.
// Screenshots land in <build>/screenshots/ for people to look at.
import assert from "node:assert/strict";
import {mkdirSync} from "node:fs";
import {createServer} from "node:http";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {fileURLToPath} from "node:url";

import {metaPolicy, scriptsAreBlocked, wcagViolations} from "./accessibility.mjs";
import {isLocalUrl, launchBrowser, Watch} from "./browser.mjs";
import {freePort, startSystem} from "./system.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(here, "../..");
const binDir = path.resolve(process.env.MYSFITS_BIN_DIR ?? path.join(sourceDir, "build/bin"));
const buildDir = path.dirname(binDir);
const shotDir = process.env.MYSFITS_SCREENSHOT_DIR ?? path.join(buildDir, "screenshots");

// The site's Content Security Policy, pinned: the accessibility audit must pass without it
// being loosened by a single source.
const kSitePolicy = "default-src 'self'; connect-src 'self' http: https:; img-src 'self' data:; " +
                    "object-src 'none'; base-uri 'none'; form-action 'none'";

// The gateway's status page sends its policy as a header: its own files only, nothing inline.
const kStatusPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; " +
                      "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const watch = new Watch();
let system;
let browser;
let catalog;  // GET /mysfits at the start: the 12 summaries in the API's order

async function apiJson(route, init = {}) {
  const response = await fetch(`${system.apiBase}${route}`, init);
  const body = await response.json();
  assert.equal(response.status, 200, `${init.method ?? "GET"} ${route}: ${JSON.stringify(body)}`);
  return body;
}

const profileOf = (id) => apiJson(`/mysfits/${id}`);
const byName = (name) => catalog.find((m) => m.name === name);
// Image URIs from the API are relative to the site.
const siteAddress = (uri) => new URL(uri, `${system.siteUrl}/`).href;
const likesText = (n) => `${n} ${n === 1 ? "like" : "likes"}`;

async function screenshot(page, name, options = {}) {
  mkdirSync(shotDir, {recursive: true});
  await page.screenshot({path: path.join(shotDir, `${name}.png`), ...options});
}

// Opens the site (optionally with a query) and waits until the grid has settled.
async function openSite(query = "", options = {}) {
  const opened = await watch.open(browser, options);
  await opened.page.goto(`${system.siteUrl}/${query}`);
  await opened.page.locator('#mysfits[aria-busy="false"]').waitFor({state: "attached"});
  return opened;
}

// Zero WCAG 2.1 A/AA violations, found under the site's own policy.
async function expectAccessible(page, what) {
  assert.deepEqual(await wcagViolations(page), [], `${what}: WCAG 2.1 A/AA violations`);
  assert.equal(await metaPolicy(page), kSitePolicy, `${what}: the site's policy is unchanged`);
  assert.ok(await scriptsAreBlocked(page), `${what}: the policy still blocks added scripts`);
}

const cardNames = (page) => page.locator("li.card h2").allTextContents();
const card = (page, name) =>
  page.getByRole("listitem").filter({has: page.getByRole("heading", {name, exact: true})});

// A server that answers every request with 503 and the documented error body (CORS allowed).
function startFailingApi(port) {
  const server = createServer((req, res) => {
    res.writeHead(503, {"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"});
    res.end(JSON.stringify({error: "unavailable", message: "the store is not ready"}));
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

describe(`website in Chromium`, () => {
  before(async () => {
    system = await startSystem({
      binDir,
      webRoot: path.join(sourceDir, "web"),
      workDir: path.join(buildDir, "web-test"),
      mode: process.env.MYSFITS_WEB_MODE ?? "auto",
    });
    console.log(`# system: ${system.mode}, API ${system.apiBase}, site ${system.siteUrl}`);
    browser = await launchBrowser();
    catalog = (await apiJson("/mysfits")).mysfits;
    assert.equal(catalog.length, 12, "the store starts with the 12 mysfits");
  });

  after(async () => {
    await browser?.close();
    await system?.stop();
  });

  test("shows the 12 mysfits as cards with name, species, alignment, likes and picture",
       async () => {
    const {context, page} = await openSite();
    assert.deepEqual(await cardNames(page), catalog.map((m) => m.name));
    assert.equal(await page.locator("#api-base").textContent(), system.apiBase,
                 "the site talks to the API from config.js");
    for (const m of catalog) {
      const text = await card(page, m.name).textContent();
      for (const part of [m.species, m.goodevil, m.lawchaos]) {
        assert.ok(text.includes(part), `${m.name}'s card shows ${part}: ${text}`);
      }
      const {likes} = await profileOf(m.mysfitId);
      assert.ok(text.includes(likesText(likes)), `${m.name}'s card shows ${likes} likes: ${text}`);
      assert.equal(await page.getByRole("button", {name: `Like ${m.name}`, exact: true}).count(), 1);
      assert.equal(await page.getByRole("button", {name: `View ${m.name}`, exact: true}).count(), 1);
    }
    await page.waitForFunction(() =>
      [...document.querySelectorAll("li.card img")].every((img) => img.complete));
    const images = await page.locator("li.card img").evaluateAll((imgs) =>
      imgs.map((img) => ({src: img.src, width: img.naturalWidth, alt: img.alt})));
    assert.equal(images.length, 12);
    images.forEach((img, i) => {
      assert.equal(img.src, siteAddress(catalog[i].thumbImageUri), "the API's thumbImageUri");
      assert.ok(img.width > 0, `${img.src} loaded`);
      assert.ok(img.alt.includes(catalog[i].name), `${img.src} has an alt text`);
    });
    await screenshot(page, "home-desktop", {fullPage: true});
    await context.close();

    const mobile = await openSite("", {viewport: {width: 390, height: 844}});
    assert.equal(await mobile.page.locator("li.card").count(), 12);
    await screenshot(mobile.page, "home-mobile");
    await mobile.context.close();
  });

  test("a like is stored and the card shows the API's new count", async () => {
    const {mysfitId, name} = byName("CoCo");
    const before = (await profileOf(mysfitId)).likes;
    const {context, page} = await openSite();
    const like = page.getByRole("button", {name: `Like ${name}`, exact: true});
    await like.click();
    await card(page, name).getByText(likesText(before + 1), {exact: true}).waitFor();
    assert.equal((await profileOf(mysfitId)).likes, before + 1);
    await like.click();
    await card(page, name).getByText(likesText(before + 2), {exact: true}).waitFor();
    assert.equal((await profileOf(mysfitId)).likes, before + 2);
    await screenshot(page, "liked");
    await context.close();
  });

  test("each filter shows exactly the mysfits the API returns for it", async () => {
    const {context, page} = await openSite();
    const goodevil = page.getByLabel("Good/Evil", {exact: true});
    const lawchaos = page.getByLabel("Lawful/Chaotic", {exact: true});
    for (const select of [goodevil, lawchaos]) {
      assert.equal(await select.locator("option").first().textContent(), "All");
    }
    const apiNames = async (filter, value) =>
      (await apiJson(`/mysfits?filter=${filter}&value=${value}`)).mysfits.map((m) => m.name);
    const shows = async (expected, what) => {
      await page.locator('#mysfits[aria-busy="false"]').waitFor({state: "attached"});
      assert.deepEqual(await cardNames(page), expected, what);
    };

    for (const value of ["Good", "Neutral", "Evil"]) {
      await goodevil.selectOption(value);
      await shows(await apiNames("GoodEvil", value), `Good/Evil = ${value}`);
    }
    await goodevil.selectOption({index: 0});
    for (const value of ["Lawful", "Neutral", "Chaotic"]) {
      await lawchaos.selectOption(value);
      await shows(await apiNames("LawChaos", value), `Lawful/Chaotic = ${value}`);
    }
    await goodevil.selectOption("Good");
    const good = await apiNames("GoodEvil", "Good");
    const both = (await apiNames("LawChaos", "Chaotic")).filter((n) => good.includes(n));
    assert.ok(both.length > 0 && both.length < good.length, "the pair narrows the list");
    await shows(good.filter((n) => both.includes(n)), "Good and Chaotic");
    await screenshot(page, "filtered");

    await goodevil.selectOption({index: 0});
    await lawchaos.selectOption({index: 0});
    await shows(catalog.map((m) => m.name), "All and All");
    await context.close();
  });

  test("View opens the profile as a dialog and Escape closes it", async () => {
    const {mysfitId, name} = byName("Gretta");
    const profile = await profileOf(mysfitId);
    const {context, page} = await openSite();
    const view = page.getByRole("button", {name: `View ${name}`, exact: true});
    await view.click();
    const dialog = page.getByRole("dialog", {name});
    await dialog.waitFor();
    const text = await dialog.textContent();
    for (const part of [profile.description, profile.species, likesText(profile.likes),
                        `${new Intl.NumberFormat("en").format(profile.age)} years`]) {
      assert.ok(text.includes(part), `the dialog shows ${part}: ${text}`);
    }
    assert.ok(await dialog.getByRole("button", {name: `Adopt ${name}`, exact: true}).isVisible());
    const picture = dialog.locator("img");
    await page.waitForFunction((img) => img.complete, await picture.elementHandle());
    assert.equal(await picture.evaluate((img) => img.src), siteAddress(profile.profileImageUri));
    assert.ok(await picture.evaluate((img) => img.naturalWidth > 0), "profile picture loaded");
    await screenshot(page, "profile");

    await page.keyboard.press("Escape");
    await dialog.waitFor({state: "hidden"});
    assert.ok(await view.evaluate((b) => b === document.activeElement), "focus returns to View");
    await context.close();
  });

  test("Adopt adopts: the API and the page both show it", async () => {
    const {mysfitId, name} = byName("Rujin");
    assert.equal((await profileOf(mysfitId)).adopted, false);
    const {context, page} = await openSite();
    await page.getByRole("button", {name: `View ${name}`, exact: true}).click();
    const dialog = page.getByRole("dialog", {name});
    await dialog.getByRole("button", {name: `Adopt ${name}`, exact: true}).click();
    await dialog.getByText(`${name} has been adopted.`).waitFor();
    assert.equal((await profileOf(mysfitId)).adopted, true);
    assert.equal(await dialog.getByRole("button", {name: `Adopt ${name}`}).count(), 0);
    await screenshot(page, "adopted");
    await page.keyboard.press("Escape");
    await card(page, name).getByText("Adopted", {exact: true}).waitFor();

    const again = await openSite();
    await again.page.getByRole("button", {name: `View ${name}`, exact: true}).click();
    const reopened = again.page.getByRole("dialog", {name});
    await reopened.getByText(`${name} has been adopted.`).waitFor();
    assert.equal(await reopened.getByRole("button", {name: `Adopt ${name}`}).count(), 0);
    await again.context.close();
    await context.close();
  });

  test("an API that cannot be reached shows an alert, not a blank page", async () => {
    const closedPort = await freePort();
    const {context, page} = await openSite(`?api=http://127.0.0.1:${closedPort}`,
                                           {expectNetworkErrors: true});
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.textContent(), /cannot be reached/);
    assert.ok(await page.getByRole("heading", {name: "Mythical Mysfits"}).isVisible());
    assert.equal(await page.locator("li.card").count(), 0);
    await screenshot(page, "api-down");
    await context.close();
  });

  test("an API that answers an error shows an alert with its message", async () => {
    const failing = await startFailingApi(await freePort());
    try {
      const {port} = failing.address();
      const {context, page} = await openSite(`?api=http://127.0.0.1:${port}`,
                                             {expectNetworkErrors: true});
      const alert = page.getByRole("alert");
      await alert.waitFor();
      assert.match(await alert.textContent(), /503: the store is not ready/);
      await context.close();
    } finally {
      failing.closeAllConnections();
      await new Promise((done) => failing.close(done));
    }
  });

  test("a like the API refuses shows an alert and leaves the count alone", async () => {
    const {mysfitId, name} = byName("Pauly");
    const before = (await profileOf(mysfitId)).likes;
    const {context, page} = await openSite("", {expectNetworkErrors: true});
    await page.route(`${system.apiBase}/mysfits/${mysfitId}/like`, (route) =>
      route.fulfill({status: 500, contentType: "application/json",
                     headers: {"Access-Control-Allow-Origin": "*"},
                     body: JSON.stringify({error: "internal", message: "write failed"})}));
    await page.getByRole("button", {name: `Like ${name}`, exact: true}).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.textContent(), /500: write failed/);
    assert.ok((await card(page, name).textContent()).includes(likesText(before)));
    assert.equal((await profileOf(mysfitId)).likes, before);
    await context.close();
  });

  test("the home page meets WCAG 2.1 A and AA", async () => {
    const {context, page} = await openSite();
    await page.waitForFunction(() =>
      [...document.querySelectorAll("li.card img")].every((img) => img.complete));
    await expectAccessible(page, "home page");
    await context.close();
  });

  test("a filtered list meets WCAG 2.1 A and AA", async () => {
    const {context, page} = await openSite();
    await page.getByLabel("Lawful/Chaotic", {exact: true}).selectOption("Chaotic");
    await page.locator('#mysfits[aria-busy="false"]').waitFor({state: "attached"});
    assert.ok((await cardNames(page)).length < catalog.length, "the list is filtered");
    await expectAccessible(page, "filtered list");
    await context.close();
  });

  test("the open profile dialog meets WCAG 2.1 A and AA", async () => {
    const {name} = byName("Hasla");
    const {context, page} = await openSite();
    await page.getByRole("button", {name: `View ${name}`, exact: true}).click();
    const dialog = page.getByRole("dialog", {name});
    await dialog.getByRole("button", {name: `Adopt ${name}`, exact: true}).waitFor();
    await expectAccessible(page, "profile dialog");
    await context.close();
  });

  test("an adopted mysfit, on its card and in its dialog, meets WCAG 2.1 A and AA", async () => {
    const {mysfitId, name} = byName("Snowflake");
    await apiJson(`/mysfits/${mysfitId}/adopt`, {method: "POST"});
    const {context, page} = await openSite();
    await card(page, name).getByText("Adopted", {exact: true}).waitFor();
    await expectAccessible(page, "adopted card");
    await page.getByRole("button", {name: `View ${name}`, exact: true}).click();
    await page.getByRole("dialog", {name}).getByText(`${name} has been adopted.`).waitFor();
    await expectAccessible(page, "adopted profile dialog");
    await context.close();
  });

  test("the API-down alert meets WCAG 2.1 A and AA", async () => {
    const closedPort = await freePort();
    const {context, page} = await openSite(`?api=http://127.0.0.1:${closedPort}`,
                                           {expectNetworkErrors: true});
    await page.getByRole("alert").waitFor();
    await expectAccessible(page, "API-down alert");
    await context.close();
  });

  test("the gateway's status page meets WCAG 2.1 A and AA and refreshes itself", async () => {
    assert.ok(system.statusPage, `mysfits up names the status page (mode ${system.mode})`);
    const {context, page} = await watch.open(browser);
    const response = await page.goto(system.statusPage);
    assert.equal(response.headers()["content-security-policy"], kStatusPolicy);
    await page.getByRole("button", {name: "Pause updates"}).waitFor();
    assert.deepEqual(await wcagViolations(page), [], "status page: WCAG 2.1 A/AA violations");
    assert.ok(await scriptsAreBlocked(page), "the status page's policy blocks added scripts");
    await screenshot(page, "status-page", {fullPage: true});

    // A request through the gateway shows up in the monolith's request count without a reload.
    // (In the page, as the refresh replaces the table's nodes.)
    const requestsServed = (minimum) => {
      const heading = [...document.querySelectorAll("h3")]
        .find((h) => h.textContent === "mythical-mysfits-nolike:80");
      const frame = document.querySelector(`[aria-labelledby="${heading?.id}"]`);
      const served = Number(frame?.querySelector("tbody td:nth-child(5)")?.textContent);
      return served > minimum ? served : null;
    };
    const before = await page.evaluate(requestsServed, -1);
    assert.ok(before >= 1, "the status page shows the monolith's requests");
    await page.evaluate(() => { window.stillTheSamePage = true; });
    await apiJson("/mysfits");
    await page.waitForFunction(requestsServed, before);
    assert.ok(await page.evaluate(() => window.stillTheSamePage), "updated in place");

    const pause = page.getByRole("button", {name: "Pause updates"});
    await pause.click();
    assert.equal(await pause.getAttribute("aria-pressed"), "true");
    await context.close();
  });

  test("no page error and no console error on any page", () => {
    assert.deepEqual(watch.problems, []);
  });

  test("no request left the machine", () => {
    assert.ok(watch.requests.some((u) => u.startsWith(system.siteUrl)), "the site was requested");
    assert.ok(watch.requests.some((u) => u.startsWith(system.apiBase)), "the API was requested");
    assert.deepEqual(watch.requests.filter((u) => !isLocalUrl(u)), []);
  });
});
