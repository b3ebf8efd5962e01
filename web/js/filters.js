// The API filters on one attribute at a time (GoodEvil or LawChaos). With both set, the site
// asks for each and keeps the mysfits present in both answers, in the API's order.

// selection: {goodevil: "" | "Good" | ..., lawchaos: "" | "Lawful" | ...}; "" means all.
// Returns the API queries to make; an empty array means the unfiltered list.
export function filterQueries({goodevil = "", lawchaos = ""} = {}) {
  const queries = [];
  if (goodevil) queries.push({filter: "GoodEvil", value: goodevil});
  if (lawchaos) queries.push({filter: "LawChaos", value: lawchaos});
  return queries;
}

// The mysfits of the first list whose id is in every other list.
export function intersectById(lists) {
  if (lists.length === 0) return [];
  const [first, ...rest] = lists;
  const others = rest.map((list) => new Set(list.map((m) => m.mysfitId)));
  return first.filter((m) => others.every((ids) => ids.has(m.mysfitId)));
}
