// Keeps the gateway's status page current: every few seconds it fetches the page again and
// swaps in the new tables. A script from the page's own origin, so the page's Content Security
// Policy stays strict. Pausing is offered, as WCAG 2.2.2 asks of content that updates itself.
const kEveryMs = 2000;

const content = document.getElementById("status-content");
const updated = document.getElementById("status-updated");
const pause = document.getElementById("status-pause");
const problem = document.getElementById("status-alert");
let timer = null;
let busy = false;

async function refresh() {
  if (busy) return;
  busy = true;
  try {
    const response = await fetch(window.location.pathname, {cache: "no-store"});
    if (!response.ok) throw new Error(`the gateway answered ${response.status}`);
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    content.replaceChildren(...fresh.getElementById("status-content").childNodes);
    updated.textContent = fresh.getElementById("status-updated").textContent;
    problem.hidden = true;
  } catch (error) {
    problem.textContent = `The status could not be refreshed (${error.message}); trying again.`;
    problem.hidden = false;
  } finally {
    busy = false;
  }
  schedule();
}

function schedule() {
  if (pause.getAttribute("aria-pressed") !== "true") timer = setTimeout(refresh, kEveryMs);
}

pause.hidden = false;
pause.addEventListener("click", () => {
  const paused = pause.getAttribute("aria-pressed") !== "true";
  pause.setAttribute("aria-pressed", String(paused));
  clearTimeout(timer);
  if (!paused) refresh();
});
schedule();
