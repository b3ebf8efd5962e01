// DOM building for the cards and the profile dialog. Text from the API only ever goes in
// through textContent or attributes, never as markup.

const kNumber = new Intl.NumberFormat("en");

export function formatLikes(n) {
  return `${kNumber.format(n)} ${n === 1 ? "like" : "likes"}`;
}

export function formatAge(years) {
  return `${kNumber.format(years)} ${years === 1 ? "year" : "years"}`;
}

// Image addresses from the API are relative to the site ("images/dragon_thumb.svg").
// Anything that is not a plain http(s) or relative address is dropped.
export function imageSource(uri, pageHref) {
  if (typeof uri !== "string" || uri === "") return "";
  try {
    const url = new URL(uri, pageHref);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : "";
  } catch {
    return "";
  }
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  node.append(...children.filter((c) => c !== null));
  return node;
}

// Visible text "Like", accessible name "Like <Name>": the name stays in the label, only hidden
// from sight because the card already shows it.
function actionButton(action, verb, name, id) {
  return el("button", {type: "button", class: `action ${action}`, "data-action": action,
                       "data-id": id},
            verb, el("span", {class: "visually-hidden"}, ` ${name}`));
}

function tag(kind, value) {
  return el("span", {class: `tag tag-${value.toLowerCase()}`, title: kind}, value);
}

export function alignment(goodevil, lawchaos) {
  return [tag("Good/Evil", goodevil), tag("Lawful/Chaotic", lawchaos)];
}

function heart() {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "heart");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", "M8 14.5 1.8 8.4A3.7 3.7 0 0 1 8 3.3a3.7 3.7 0 0 1 6.2 5.1z");
  svg.append(path);
  return svg;
}

// One card from a Summary and the Profile of the same mysfit (likes and adopted live there).
export function renderCard(summary, profile, pageHref) {
  const id = summary.mysfitId;
  const nameId = `name-${id}`;
  const card = el(
    "li", {class: "card", "data-id": id},
    el("article", {"aria-labelledby": nameId},
       el("div", {class: "picture"},
          el("img", {src: imageSource(summary.thumbImageUri, pageHref),
                     alt: `${summary.name} the ${summary.species}`, width: "200",
                     height: "200"}),
          el("span", {class: "ribbon", hidden: ""}, "Adopted")),
       el("h2", {id: nameId}, summary.name),
       el("p", {class: "species"}, summary.species),
       el("p", {class: "alignment"}, ...alignment(summary.goodevil, summary.lawchaos)),
       el("p", {class: "likes"}, heart(), el("span", {class: "likes-count"}, "")),
       el("div", {class: "actions"}, actionButton("like", "Like", summary.name, id),
          actionButton("view", "View", summary.name, id))));
  setCardLikes(card, profile.likes);
  setCardAdopted(card, profile.adopted);
  return card;
}

export function setCardLikes(card, likes) {
  const count = card.querySelector(".likes-count");
  count.textContent = formatLikes(likes);
  count.dataset.likes = String(likes);
}

export function setCardAdopted(card, adopted) {
  card.querySelector(".ribbon").hidden = !adopted;
  card.classList.toggle("adopted", Boolean(adopted));
}

// Fills the profile dialog; `parts` are its elements by role (see app.js).
export function fillProfile(parts, profile, pageHref) {
  parts.image.src = imageSource(profile.profileImageUri, pageHref);
  parts.image.alt = `${profile.name} the ${profile.species}`;
  parts.name.textContent = profile.name;
  parts.species.textContent = profile.species;
  parts.alignment.replaceChildren(...alignment(profile.goodevil, profile.lawchaos));
  parts.description.textContent = profile.description;
  parts.age.textContent = formatAge(profile.age);
  parts.likes.textContent = formatLikes(profile.likes);
  parts.alert.hidden = true;
  parts.alert.textContent = "";
  parts.adopt.textContent = `Adopt ${profile.name}`;
  showAdopted(parts, profile);
}

export function showAdopted(parts, profile) {
  parts.status.textContent = profile.adopted ? "Adopted" : "Looking for a home";
  parts.adopt.hidden = Boolean(profile.adopted);
  parts.adopted.hidden = !profile.adopted;
  parts.adopted.textContent = profile.adopted ? `${profile.name} has been adopted.` : "";
}
