"""One wrk run of a scenario script, with each service's memory sampled while it runs."""

import json
import os
import resource
import subprocess
import threading
import time

LUA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lua")
RESULT_PREFIX = "MYSFITS_RESULT "


class WrkError(RuntimeError):
    pass


def compose_script(scenario_script, out_dir, paced=False):
    """wrk takes one script: the prelude, the scenario, pacing.lua when paced, then the shared
    result reporter."""
    parts = []
    names = ("prelude.lua", scenario_script) + (("pacing.lua",) if paced else ()) + ("result.lua",)
    for name in names:
        with open(os.path.join(LUA_DIR, name)) as f:
            parts.append(f"-- {name}\n{f.read()}")
    path = os.path.join(out_dir, f"wrk-{os.path.splitext(scenario_script)[0]}"
                        f"{'-paced' if paced else ''}.lua")
    with open(path, "w") as f:
        f.write("\n".join(parts))
    return path


class RssSampler:
    """Samples every service's RSS every interval seconds on a background thread."""

    def __init__(self, services, interval=0.5):
        self.services = services
        self.interval = interval
        self.samples = {s.name: [] for s in services}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        start = time.monotonic()
        while not self._stop.is_set():
            now = time.monotonic() - start
            for s in self.services:
                kib = s.rss_kib()
                if kib is not None:
                    self.samples[s.name].append((now, kib))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        return False


def run(url, script, duration_s, ids, out_dir, connections=16, threads=1, timeout_s=2,
        cpus=None, rate=None):
    """Runs wrk (on the CPUs cpus when given; paced to rate requests per second in total when
    given) and returns its figures (see lua/result.lua) plus req/s."""
    pin = ["taskset", "-c", cpus] if cpus is not None else []
    if rate is not None and threads != 1:
        raise WrkError("a paced run needs one wrk thread (pacing.lua keeps one schedule)")
    argv = pin + ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration_s}s",
                  f"--timeout={timeout_s}s", "-s",
                  compose_script(script, out_dir, paced=rate is not None), url,
                  "--", ",".join(ids)]
    env = dict(os.environ, MYSFITS_RATE=str(rate)) if rate is not None else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(argv, capture_output=True, text=True, env=env,
                               timeout=duration_s + timeout_s + 30)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise WrkError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX):])
            break
    else:
        raise WrkError(f"wrk printed no result:\n{completed.stdout}\n{completed.stderr}")
    result["statuses"] = {int(k): v for k, v in result["statuses"].items()}
    seconds = result["duration_us"] / 1e6
    result["rps"] = result["requests"] / seconds if seconds > 0 else 0.0
    # The load generator's own CPU: it shares the cores with what it measures.
    wrk_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["wrk_cpu_us_per_request"] = wrk_cpu * 1e6 / max(result["requests"], 1)
    shown = ([f"MYSFITS_RATE={rate}"] if rate is not None else []) + argv[:len(pin) + 5] + [
        f"-s bench/load/lua/{script} (with prelude.lua, {'pacing.lua, ' if rate else ''}"
        "result.lua)", url, "-- <catalog ids>"]
    result["argv"] = " ".join(shown)
    return result
