"""The scenario groups: each starts its system, runs its scenarios with wrk, stops everything."""

import os
import statistics
import time

from . import systems, wrk
from .processes import Services, StartError, http_json, http_status


class Run:
    """Settings and results of one bench/load/run invocation."""

    def __init__(self, repo, binaries, work_dir, quick):
        self.repo = repo
        self.binaries = binaries
        self.work_dir = work_dir
        self.quick = quick
        self.duration = 2 if quick else 10
        # The memory target asks for a flat RSS over 60 s of the seed's like path.
        self.long_duration = 2 if quick else 60
        self.warmup = 0 if quick else 1
        self.connections = 16
        self.wrk_cpus = None  # CPUs wrk runs on (--pin), None: any
        self.ids = []
        self.results = []
        self.skipped = []
        self.failures = []

    def skip(self, key, reason):
        self.skipped.append({"key": key, "reason": reason})


def rss_summary(samples):
    if not samples:
        return None
    values = [kib for _, kib in samples]
    quarter = samples[len(samples) // 4][1]
    return {"start_kib": values[0], "max_kib": max(values), "end_kib": values[-1],
            "growth_after_first_quarter_kib": values[-1] - quarter, "samples": len(values)}


def total_likes(monolith_port, ids):
    return sum(http_json(f"http://127.0.0.1:{monolith_port}/mysfits/{i}")["likes"] for i in ids)


def settled_likes(monolith_port, ids, timeout=10.0):
    """The like total once writes still in flight when wrk stopped have landed: two equal reads
    in a row, polled with a deadline."""
    deadline = time.monotonic() + timeout
    last = total_likes(monolith_port, ids)
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = total_likes(monolith_port, ids)
        if now == last:
            return now
        last = now
    return last


def unexpected_statuses(result, script):
    """Answers >= 400 that no scenario expects; mixed traffic expects 409 (re-adopting)."""
    expected = result["statuses"].get(409, 0) if script == "mixed.lua" else 0
    return result["errors"]["status"] - expected


def measure(run, key, label, services, port, script, duration=None, audit_port=None,
            route="", connections=None, warmup=None, rate=None, counters=None):
    """One scenario; connections and warmup (seconds, 0 for none: a cold first burst) default to
    the run's. rate: requests per second offered in total (paced), None for as fast as answered.
    counters: name -> function returning a number, read after the warm-up and after the run; the
    entry records each one's growth over the run (e.g. connections a TLS front accepted)."""
    duration = duration or run.duration
    connections = connections or run.connections
    warmup = run.warmup if warmup is None else warmup
    url = f"http://127.0.0.1:{port}/"
    if warmup:
        wrk.run(url, script, warmup, run.ids, run.work_dir, connections, cpus=run.wrk_cpus,
                rate=rate)
    before = settled_likes(audit_port, run.ids) if audit_port else None
    counted_before = {name: read() for name, read in (counters or {}).items()}
    cpu_before = {s.name: s.cpu_seconds() for s in services}
    with wrk.RssSampler(services) as sampler:
        result = wrk.run(url, script, duration, run.ids, run.work_dir, connections,
                         cpus=run.wrk_cpus, rate=rate)
    cpu = {}
    for s in services:
        now = s.cpu_seconds()
        if now is not None and cpu_before[s.name] is not None and result["requests"]:
            cpu[s.name] = (now - cpu_before[s.name]) * 1e6 / result["requests"]
    crashed = [s.name for s in services if not s.alive()]
    if crashed:
        raise StartError(f"{', '.join(crashed)} died during {label}")
    counted = {name: read() - counted_before[name] for name, read in (counters or {}).items()}
    entry = {"key": key, "label": label, "route": route, "duration_s": duration,
             "connections": connections, "offered_rps": rate, "counters": counted,
             "result": result, "rss": {n: rss_summary(s) for n, s in sampler.samples.items()},
             "cpu_us_per_request": cpu, "audit": None}
    if audit_port:
        after = settled_likes(audit_port, run.ids)
        stored = after - before
        unanswered = stored - result["likes_ok"]
        # Likes still in flight when wrk stopped are stored but never counted as answered:
        # at most one per connection (and per timed-out request).
        allowed = connections + result["errors"]["timeout"]
        entry["audit"] = {"answered_200": result["likes_ok"], "stored": stored,
                          "in_flight_at_stop": unanswered,
                          "passed": 0 <= unanswered <= allowed}
        if not entry["audit"]["passed"]:
            run.failures.append(f"{label}: {result['likes_ok']} likes answered 200 but "
                                f"{stored} stored")
    unexpected = unexpected_statuses(result, script)
    if unexpected:
        run.failures.append(f"{label}: {unexpected} answers with an unexpected status >= 400")
    run.results.append(entry)
    return entry


def median_rounds(results):
    """One entry per scenario: with several rounds, the round of median req/s, its p50 and p99
    replaced by the medians over the rounds, and every round's figures kept under "rounds"."""
    by_key = {}
    for entry in results:
        by_key.setdefault(entry["key"], []).append(entry)
    combined = []
    for entries in by_key.values():
        if len(entries) == 1:
            combined.append(entries[0])
            continue
        middle = sorted(entries, key=lambda e: e["result"]["rps"])[len(entries) // 2]
        entry, result = dict(middle), dict(middle["result"])
        for field in ("p50_us", "p99_us"):
            result[field] = statistics.median(e["result"][field] for e in entries)
        entry["result"] = result
        entry["rounds"] = [{"rps": e["result"]["rps"], "p50_us": e["result"]["p50_us"],
                            "p99_us": e["result"]["p99_us"]} for e in entries]
        combined.append(entry)
    return combined


def catalog_ids(monolith_port):
    return [m["mysfitId"] for m in http_json(f"http://127.0.0.1:{monolith_port}/mysfits")["mysfits"]]


def start_ready(services, service, ready_url, expect=200):
    services.start(service)
    service.wait_ready(ready_url, expect=expect)
    return service


def nginx_fixed_group(run):
    for workers in (1, 2):
        with Services() as services:
            nginx, port = systems.nginx_fixed(run.work_dir, f"nginx-fixed-{workers}w", workers)
            start_ready(services, nginx, f"http://127.0.0.1:{port}/")
            measure(run, f"nginx-fixed-{workers}", f"nginx fixed 200 JSON ({workers} worker"
                    f"{'s' if workers > 1 else ''})", [nginx], port, "get_root.lua",
                    route="GET /")


def monolith_group(run):
    """The monolith at its default (a worker thread per core), then with one worker thread for
    the reads: on 2 cores shared with wrk, one thread is often faster, as one nginx worker is.
    The read targets take the better of the two, as they take nginx's better worker count."""
    if not run.binaries.has("mysfits-monolith"):
        run.skip("monolith-*", "mysfits-monolith is not built")
        return
    with Services() as services:
        mono, port = systems.monolith(run.binaries, run.work_dir)
        start_ready(services, mono, f"http://127.0.0.1:{port}/readyz")
        run.ids = catalog_ids(port)
        measure(run, "monolith-profile", "monolith GET /mysfits/{id}", [mono], port,
                "get_profile.lua", route="GET /mysfits/{id}")
        measure(run, "monolith-list", "monolith GET /mysfits", [mono], port, "get_list.lua",
                route="GET /mysfits")
        measure(run, "monolith-like", "monolith POST like (monolith-only stage)", [mono], port,
                "like.lua", audit_port=port, route="POST /mysfits/{id}/like")
        measure(run, "monolith-mixed", "monolith mixed 80/15/5", [mono], port, "mixed.lua",
                audit_port=port, route="mixed")
    with Services() as services:
        mono, port = systems.monolith(run.binaries, run.work_dir, "monolith-1t", threads=1)
        start_ready(services, mono, f"http://127.0.0.1:{port}/readyz")
        measure(run, "monolith-profile-1t", "monolith GET /mysfits/{id} (THREADS=1)", [mono],
                port, "get_profile.lua", route="GET /mysfits/{id}")
        measure(run, "monolith-list-1t", "monolith GET /mysfits (THREADS=1)", [mono], port,
                "get_list.lua", route="GET /mysfits")


# Ids for paths the trivial upstream answers whatever they say, when no monolith ran first.
PLACEHOLDER_IDS = [f"00000000-0000-4000-8000-{n:012d}" for n in range(12)]


def proxy_group(run):
    """nginx (1 and 2 workers) and our gateway, each with the like stage's routes in front of
    the same trivial upstream (a 1-worker nginx fixed response)."""
    run.ids = run.ids or PLACEHOLDER_IDS
    with Services() as services:
        upstream, upstream_port = systems.nginx_fixed(run.work_dir, "upstream", 1)
        start_ready(services, upstream, f"http://127.0.0.1:{upstream_port}/")
        for workers in (1, 2):
            with Services() as proxies:
                proxy, port = systems.nginx_proxy(run.work_dir, f"nginx-proxy-{workers}w",
                                                  workers, upstream_port)
                start_ready(proxies, proxy, f"http://127.0.0.1:{port}/")
                measure(run, f"nginx-proxy-{workers}", f"nginx proxy, like-stage routes "
                        f"({workers} worker{'s' if workers > 1 else ''})", [proxy, upstream], port,
                        "get_profile.lua", route="GET /mysfits/{id} -> upstream")
        if not run.binaries.has("mysfits-gateway"):
            run.skip("gateway-proxy", "mysfits-gateway is not built")
            return
        ingress = os.path.join(run.repo, "deploy/k8s/stages/like/ingress.yaml")
        upstreams = {"mythical-mysfits-like:80": upstream_port,
                     "mythical-mysfits-nolike:80": upstream_port}
        # Default (a worker thread per core) and one thread, as nginx runs 2 and 1 workers.
        for threads, suffix in ((None, ""), (1, "-1t")):
            with Services() as gateways:
                gw, port = systems.gateway(run.binaries, run.work_dir, f"gateway-proxy{suffix}",
                                           ingress, upstreams, threads=threads)
                start_ready(gateways, gw, f"http://127.0.0.1:{port}/mysfits")
                measure(run, f"gateway-proxy{suffix}", "gateway, like-stage Ingress"
                        f"{' (THREADS=1)' if threads else ''}", [gw, upstream], port,
                        "get_profile.lua", route="GET /mysfits/{id} -> upstream")


def seed_path_group(run):
    """The seed's path: gateway (the stage's Ingress) -> like service -> monolith -> SQLite."""
    missing = [n for n in ("mysfits-monolith", "mysfits-like", "mysfits-gateway")
               if not run.binaries.has(n)]
    if missing:
        run.skip("seed-*", f"{', '.join(missing)} not built")
        return
    with_adopt = run.binaries.has("mysfits-adopt")
    stage = "like-adopt" if with_adopt else "like"
    with Services() as services:
        mono, mono_port = systems.monolith(run.binaries, run.work_dir, "monolith-seed")
        start_ready(services, mono, f"http://127.0.0.1:{mono_port}/readyz")
        run.ids = catalog_ids(mono_port)
        like, like_port = systems.split_service(run.binaries, run.work_dir, "like", mono_port)
        start_ready(services, like, f"http://127.0.0.1:{like_port}/readyz")
        upstreams = {"mythical-mysfits-like:80": like_port,
                     "mythical-mysfits-nolike:80": mono_port}
        seed_services = [like, mono]
        if with_adopt:
            adopt, adopt_port = systems.split_service(run.binaries, run.work_dir, "adopt",
                                                      mono_port)
            start_ready(services, adopt, f"http://127.0.0.1:{adopt_port}/readyz")
            upstreams["mythical-mysfits-adopt:80"] = adopt_port
            seed_services.append(adopt)
        ingress = os.path.join(run.repo, f"deploy/k8s/stages/{stage}/ingress.yaml")
        gw, port = systems.gateway(run.binaries, run.work_dir, "gateway", ingress, upstreams)
        start_ready(services, gw, f"http://127.0.0.1:{port}/readyz")
        wait_routed_like(gw, port, run.ids[0])
        measure(run, "seed-like", f"seed path POST like (gateway -> like -> monolith, "
                f"{run.long_duration}s)", [gw] + seed_services, port, "like.lua",
                duration=run.long_duration, audit_port=mono_port,
                route="POST /mysfits/{id}/like")
        measure(run, "seed-mixed", f"seed path mixed 80/15/5 (stage {stage})",
                [gw] + seed_services, port, "mixed.lua", audit_port=mono_port, route="mixed")


def wait_routed_like(gw, port, mysfit_id, timeout=30.0):
    """The gateway may hold a target back until its health checks pass: wait until a like
    through it answers 200."""
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/mysfits/{mysfit_id}/like"
    while time.monotonic() < deadline:
        if http_status(url, method="POST") == 200:
            return
        if not gw.alive():
            break
        time.sleep(0.1)
    raise StartError(f"no like through the gateway answered 200 within {timeout:.0f}s:\n"
                     f"{gw.log_tail()}")


GROUPS = (nginx_fixed_group, monolith_group, proxy_group, seed_path_group)
