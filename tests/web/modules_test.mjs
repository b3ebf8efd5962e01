// The site's browser-free modules (web/js/api.js, web/js/filters.js) under node's test runner:
//   node --test tests/web/modules_test.mjs
import assert from "node:assert/strict";
import {describe, test} from "node:test";

import {ApiError, createApi, resolveApiBase} from "../../web/js/api.js";
import {filterQueries, intersectById} from "../../web/js/filters.js";

const page = "http://127.0.0.1:8000/index.html";

describe("resolveApiBase", () => {
  test("?api= in the page address wins over config.js", () => {
    assert.equal(resolveApiBase("?api=http://alb.example:81/", {apiBase: "http://x"}, page),
                 "http://alb.example:81");
  });
  test("config.js is used without ?api=", () => {
    assert.equal(resolveApiBase("", {apiBase: "http://127.0.0.1:9090"}, page),
                 "http://127.0.0.1:9090");
  });
  test("the local gateway is the default when config.js is missing", () => {
    assert.equal(resolveApiBase("", undefined, page), "http://127.0.0.1:8080");
  });
  test("a path prefix is kept and trailing slashes dropped", () => {
    assert.equal(resolveApiBase("?api=https://h/prefix//", null, page), "https://h/prefix");
  });
  test("a relative base resolves against the page", () => {
    assert.equal(resolveApiBase("?api=/api", null, page), "http://127.0.0.1:8000/api");
  });
  test("anything but http(s) is refused", () => {
    assert.throws(() => resolveApiBase("?api=javascript:alert(1)", null, page), ApiError);
    assert.throws(() => resolveApiBase("?api=file:///etc/passwd", null, page), ApiError);
  });
});

// A fetch that answers from a table of "METHOD url" -> {status, body} and records calls.
function fakeFetch(table) {
  const calls = [];
  const impl = async (url, init) => {
    calls.push(`${init.method} ${url}`);
    const answer = table[`${init.method} ${url}`];
    if (answer instanceof Error) throw answer;
    if (!answer) return new Response("not found", {status: 404});
    const body = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    return new Response(body, {status: answer.status ?? 200});
  };
  return {impl, calls};
}

describe("createApi", () => {
  const base = "http://api";

  test("list with a filter asks the API with filter and value", async () => {
    const {impl, calls} = fakeFetch({
      "GET http://api/mysfits?filter=GoodEvil&value=Good": {body: {mysfits: [{mysfitId: "a"}]}},
    });
    const api = createApi(base, {fetchImpl: impl});
    assert.deepEqual(await api.list({filter: "GoodEvil", value: "Good"}), [{mysfitId: "a"}]);
    assert.deepEqual(calls, ["GET http://api/mysfits?filter=GoodEvil&value=Good"]);
  });

  test("like returns the stored count and escapes the id", async () => {
    const {impl, calls} = fakeFetch({
      "POST http://api/mysfits/a%2Fb/like": {body: {Update: "Success", likes: 7}},
    });
    assert.equal(await createApi(base, {fetchImpl: impl}).like("a/b"), 7);
    assert.deepEqual(calls, ["POST http://api/mysfits/a%2Fb/like"]);
  });

  test("an error answer carries status, code and the API's message", async () => {
    const {impl} = fakeFetch({
      "POST http://api/mysfits/x/adopt": {status: 409, body: {error: "conflict", message: "taken"}},
    });
    await assert.rejects(createApi(base, {fetchImpl: impl}).adopt("x"), (error) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 409);
      assert.equal(error.code, "conflict");
      assert.match(error.message, /409: taken/);
      return true;
    });
  });

  test("a network failure is 'cannot be reached'", async () => {
    const {impl} = fakeFetch({"GET http://api/mysfits": new TypeError("Failed to fetch")});
    await assert.rejects(createApi(base, {fetchImpl: impl}).list(),
                         {code: "unreachable", message: /cannot be reached/});
  });

  test("an API that never answers times out", async () => {
    const silent = (url, init) => new Promise((resolve, reject) => {
      init.signal.addEventListener("abort", () => reject(new DOMException("aborted")));
    });
    await assert.rejects(createApi(base, {fetchImpl: silent, timeoutMs: 20}).get("x"),
                         {code: "timeout"});
  });

  test("a 200 that is not JSON, or a like without a count, is a bad response", async () => {
    const {impl} = fakeFetch({
      "GET http://api/mysfits": {body: "<html>proxy</html>"},
      "POST http://api/mysfits/x/like": {body: {Update: "Success"}},
    });
    const api = createApi(base, {fetchImpl: impl});
    await assert.rejects(api.list(), {code: "bad_response"});
    await assert.rejects(api.like("x"), {code: "bad_response"});
  });
});

describe("filters", () => {
  test("no selection means the unfiltered list", () => {
    assert.deepEqual(filterQueries({goodevil: "", lawchaos: ""}), []);
  });
  test("each selected attribute is one API query", () => {
    assert.deepEqual(filterQueries({goodevil: "Evil", lawchaos: "Chaotic"}),
                     [{filter: "GoodEvil", value: "Evil"}, {filter: "LawChaos", value: "Chaotic"}]);
  });
  test("the intersection keeps the first list's order", () => {
    const a = [{mysfitId: "3"}, {mysfitId: "1"}, {mysfitId: "2"}];
    const b = [{mysfitId: "2"}, {mysfitId: "3"}];
    assert.deepEqual(intersectById([a, b]), [{mysfitId: "3"}, {mysfitId: "2"}]);
    assert.deepEqual(intersectById([a]), a);
    assert.deepEqual(intersectById([a, []]), []);
  });
});
