// The page: loads the mysfits through the API, renders the cards, and handles like, view,
// adopt and the two filters. Any failure ends in a visible role="alert" message.
import {createApi, resolveApiBase} from "./api.js";
import {filterQueries, intersectById} from "./filters.js";
import {
  fillProfile,
  formatLikes,
  renderCard,
  setCardAdopted,
  setCardLikes,
  showAdopted,
} from "./view.js";

const $ = (id) => document.getElementById(id);

const grid = $("mysfits");
const summaryLine = $("summary");
const announcer = $("announce");
const goodevil = $("filter-goodevil");
const lawchaos = $("filter-lawchaos");
const dialog = $("profile");
const profileParts = {
  image: $("profile-image"),
  name: $("profile-name"),
  species: $("profile-species"),
  alignment: $("profile-alignment"),
  description: $("profile-description"),
  age: $("profile-age"),
  likes: $("profile-likes"),
  status: $("profile-status"),
  alert: $("profile-alert"),
  adopt: $("profile-adopt"),
  adopted: $("profile-adopted"),
};

const pageAlert = {
  show(message, retry = null) {
    $("alert-message").textContent = message;
    $("alert-retry").hidden = retry === null;
    $("alert-retry").onclick = retry;
    $("alert").hidden = false;
  },
  hide() {
    $("alert").hidden = true;
  },
};

// Profiles by id, as last received: likes and adopted live there, not in the list's summaries.
const profiles = new Map();
let api = null;
let generation = 0;
let opener = null;

function cardOf(id) {
  return grid.querySelector(`li.card[data-id="${CSS.escape(id)}"]`);
}

function describeSelection() {
  const chosen = [goodevil.value, lawchaos.value].filter(Boolean);
  return chosen.length ? ` (${chosen.join(", ")})` : "";
}

async function load() {
  const mine = ++generation;
  grid.setAttribute("aria-busy", "true");
  summaryLine.textContent = "Loading mysfits\u2026";
  try {
    const queries = filterQueries({goodevil: goodevil.value, lawchaos: lawchaos.value});
    const lists = await Promise.all(queries.length ? queries.map((q) => api.list(q)) : [api.list()]);
    const mysfits = intersectById(lists);
    const loaded = await Promise.all(mysfits.map((m) => api.get(m.mysfitId)));
    if (mine !== generation) return;
    loaded.forEach((p) => profiles.set(p.mysfitId, p));
    grid.replaceChildren(...mysfits.map((m, i) => renderCard(m, loaded[i], location.href)));
    const n = mysfits.length;
    summaryLine.textContent = n === 0 ? `No mysfit matches${describeSelection()}.`
                                      : `${n} ${n === 1 ? "mysfit" : "mysfits"}${describeSelection()}`;
    pageAlert.hide();
  } catch (error) {
    if (mine !== generation) return;
    grid.replaceChildren();
    summaryLine.textContent = "";
    pageAlert.show(`The mysfits could not be loaded. ${error.message}`, load);
  } finally {
    if (mine === generation) grid.setAttribute("aria-busy", "false");
  }
}

// aria-disabled rather than disabled: the button keeps keyboard focus while a request runs.
async function whileBusy(button, work) {
  if (button.getAttribute("aria-disabled") === "true") return;
  button.setAttribute("aria-disabled", "true");
  try {
    await work();
  } finally {
    button.removeAttribute("aria-disabled");
  }
}

async function like(button, id) {
  const name = profiles.get(id)?.name ?? "this mysfit";
  try {
    const likes = await api.like(id);
    const profile = profiles.get(id);
    if (profile) profile.likes = likes;
    const card = cardOf(id);
    if (card) {
      setCardLikes(card, likes);
      card.classList.remove("liked");
      void card.offsetWidth;  // restarts the "liked" animation on repeated likes
      card.classList.add("liked");
    }
    announcer.textContent = `You liked ${name}: ${formatLikes(likes)}.`;
  } catch (error) {
    pageAlert.show(`Your like for ${name} was not saved. ${error.message}`);
  }
}

async function view(button, id) {
  try {
    const profile = await api.get(id);
    profiles.set(id, profile);
    fillProfile(profileParts, profile, location.href);
    dialog.dataset.id = id;
    opener = button;
    dialog.showModal();
    profileParts.adopt.hidden ? profileParts.adopted.focus() : profileParts.adopt.focus();
  } catch (error) {
    pageAlert.show(`The profile could not be loaded. ${error.message}`);
  }
}

async function adopt() {
  const id = dialog.dataset.id;
  const profile = profiles.get(id);
  try {
    await api.adopt(id);
  } catch (error) {
    // 409: somebody adopted it first; the page shows what is now true rather than an error.
    if (error.status !== 409) {
      profileParts.alert.textContent = `${profile.name} could not be adopted. ${error.message}`;
      profileParts.alert.hidden = false;
      return;
    }
  }
  profile.adopted = true;
  showAdopted(profileParts, profile);
  profileParts.adopted.focus();
  const card = cardOf(id);
  if (card) setCardAdopted(card, true);
}

function start() {
  try {
    api = createApi(resolveApiBase(location.search, window.MYSFITS_CONFIG, location.href));
  } catch (error) {
    grid.setAttribute("aria-busy", "false");
    pageAlert.show(`The site is misconfigured. ${error.message}`);
    return;
  }
  $("api-base").textContent = api.base;

  grid.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const {action, id} = button.dataset;
    if (action === "like") whileBusy(button, () => like(button, id));
    if (action === "view") whileBusy(button, () => view(button, id));
  });
  profileParts.adopt.addEventListener("click", () => whileBusy(profileParts.adopt, adopt));
  // A click on the backdrop lands on the <dialog> itself; inside, it lands on its content.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener("close", () => opener?.focus());
  goodevil.addEventListener("change", load);
  lawchaos.addEventListener("change", load);
  load();
}

start();
