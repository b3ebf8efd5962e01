// Starts the system under test for the browser tests: `mysfits up` when the CLI can run it,
// otherwise the monolith plus a static server for web/ (both on 127.0.0.1, on free ports).
// Every child runs in its own process group and is killed with it, also when the test process
// dies (parent-death signal via setpriv) or exits early.
import {spawn, spawnSync} from "node:child_process";
import {existsSync, mkdirSync, openSync, readFileSync, rmSync} from "node:fs";
import {createServer} from "node:net";
import path from "node:path";
import {setTimeout as sleep} from "node:timers/promises";

import {startStaticServer} from "./static_server.mjs";

const kSetpriv = "/usr/bin/setpriv";
const kReadyTimeoutMs = 30000;
const kStopTimeoutMs = 8000;

const running = new Set();
process.on("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => process.exit(128 + (signal === "SIGINT" ? 2 : 15)));
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

// A loopback port that was free a moment ago and that nothing else hands out. Binding port 0
// would draw from the kernel's ephemeral range, which every outgoing connection and every
// other bind to port 0 on the machine draws from too, so a concurrent test could be handed the
// same port before `mysfits up`'s gateway binds it (it binds last). Ports come instead from
// just below the range the C++ tests reserve (tests/support/free_port.cpp: the 12,000 ports
// under the ephemeral range), a band only this process picks from.
const kBandSize = 2000;
const handedOut = new Set();

function ephemeralLow() {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").split(/\s+/)[0]);
  } catch {
    return 32768;
  }
}

function tryListen(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(null));
    server.listen(port, "127.0.0.1", () => {
      const bound = server.address().port;
      server.close(() => resolve(bound));
    });
  });
}

export async function freePort() {
  const last = ephemeralLow() - 12000 - 1;
  const first = last - kBandSize + 1;
  if (first >= 1024) {
    for (let attempt = 0; attempt < 200; ++attempt) {
      const port = first + Math.floor(Math.random() * kBandSize);
      if (handedOut.has(port)) continue;
      if ((await tryListen(port)) === port) {
        handedOut.add(port);
        return port;
      }
    }
  }
  return tryListen(0);
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

// A child in its own process group whose output goes to logFile.
function startChild(name, exe, args, {env, logFile}) {
  const out = openSync(logFile, "a");
  const [cmd, argv] = existsSync(kSetpriv)
    ? [kSetpriv, ["--pdeathsig", "KILL", "--", exe, ...args]]
    : [exe, args];
  const child = spawn(cmd, argv, {
    detached: true,
    stdio: ["ignore", out, out],
    env: {...process.env, ...env},
  });
  child.label = name;
  child.logFile = logFile;
  child.exited = new Promise((resolve) => child.once("exit", (code, signal) => {
    running.delete(child);
    resolve(signal ?? code);
  }));
  running.add(child);
  return child;
}

// SIGTERM to the group, then SIGKILL when it has not gone within the deadline.
async function stopChild(child) {
  if (!running.has(child)) return;
  killGroup(child, "SIGTERM");
  const gone = await Promise.race([child.exited.then(() => true), sleep(kStopTimeoutMs, false)]);
  if (!gone) killGroup(child, "SIGKILL");
  await child.exited;
  // The leader is gone; anything left in its group is killed too.
  killGroup(child, "SIGKILL");
}

async function ok(url) {
  try {
    const response = await fetch(url, {signal: AbortSignal.timeout(2000)});
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

// Polls until every URL answers 2xx; fails early when a child has exited.
async function waitReady(urls, children) {
  const deadline = Date.now() + kReadyTimeoutMs;
  for (;;) {
    const dead = children.find((c) => !running.has(c));
    if (dead) {
      throw new Error(`${dead.label} exited during start-up; log ${dead.logFile}:\n` +
                      tail(dead.logFile));
    }
    const answers = await Promise.all(urls.map(ok));
    if (answers.every(Boolean)) return;
    if (Date.now() > deadline) {
      const logs = children.map((c) => `--- ${c.label} (${c.logFile}):\n${tail(c.logFile)}`);
      throw new Error(`not ready within ${kReadyTimeoutMs} ms: ${urls.join(", ")}\n` +
                      logs.join("\n"));
    }
    await sleep(100);
  }
}

// Everything `mysfits up` starts for its default stage (like-adopt).
const kUpExecutables = ["mysfits", "mysfits-monolith", "mysfits-like", "mysfits-adopt",
                        "mysfits-gateway"];

// True when this build's CLI really implements `up` with a web port (not a placeholder) and
// every executable it starts is built.
export function cliRunsUp(binDir) {
  if (!kUpExecutables.every((name) => existsSync(path.join(binDir, name)))) return false;
  const cli = path.join(binDir, "mysfits");
  const help = spawnSync(cli, ["up", "--help"], {encoding: "utf8", timeout: 10000});
  return help.status === 0 && /--web-port/.test(help.stdout);
}

// The gateway's status page, from the state `mysfits up` records (state.json, written before
// the table that marks it ready).
function statusPageOf(runtimeDir, apiPort) {
  const state = JSON.parse(readFileSync(path.join(runtimeDir, "mysfits-up", String(apiPort),
                                                  "state.json"), "utf8"));
  return `${state.gateway_admin}/status`;
}

// Resolves to {mode, apiBase, siteUrl, statusPage, workDir, stop()}; statusPage is null when
// the monolith runs alone (no gateway).
// mode: "up" | "monolith" | "auto" (the default: "up" when the CLI supports it).
export async function startSystem({binDir, webRoot, workDir, mode = "auto"}) {
  rmSync(workDir, {recursive: true, force: true});
  mkdirSync(workDir, {recursive: true});
  const chosen = mode === "auto" ? (cliRunsUp(binDir) ? "up" : "monolith") : mode;
  const runtimeDir = path.join(workDir, "run");
  const env = {MYSFITS_DB: path.join(workDir, "mysfits.db"), LOG_LEVEL: "info",
               XDG_RUNTIME_DIR: runtimeDir};
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const apiBase = `http://127.0.0.1:${apiPort}`;
  const children = [];
  let site = null;
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await site?.close();
  };
  try {
    if (chosen === "up") {
      children.push(startChild("mysfits up", path.join(binDir, "mysfits"),
                               ["up", "--port", String(apiPort), "--web-port", String(webPort)],
                               {env, logFile: path.join(workDir, "up.log")}));
    } else {
      children.push(startChild("mysfits-monolith", path.join(binDir, "mysfits-monolith"), [],
                               {env: {...env, HOST: "127.0.0.1", PORT: String(apiPort)},
                                logFile: path.join(workDir, "monolith.log")}));
      site = await startStaticServer({root: webRoot, apiBase, port: webPort});
    }
    const siteUrl = `http://127.0.0.1:${webPort}`;
    await waitReady([`${apiBase}/mysfits`, `${siteUrl}/config.js`, `${siteUrl}/`], children);
    const statusPage = chosen === "up" ? statusPageOf(runtimeDir, apiPort) : null;
    return {mode: chosen, apiBase, siteUrl, statusPage, workDir, stop};
  } catch (error) {
    await stop();
    throw error;
  }
}
