"""The report of a --pin run: every scenario with its CPU cost per process, then the one-CPU
targets judged on ratios within the run (never against figures of another machine)."""

import re


def _ms(us):
    return us / 1000.0


def _entries(results, pattern):
    return [r for r in results if re.fullmatch(pattern, r["key"])]


def _one(results, key):
    found = [r for r in results if r["key"] == key]
    return found[0] if found else None


def _verdict(ok):
    return "met" if ok else "missed"


def _slow(entry):
    """Requests past 1 s: wrk's maximum latency, and its timeouts (2 s)."""
    r = entry["result"]
    return r["max_us"] >= 1_000_000 or r["errors"]["timeout"] > 0


def targets(results):
    rows = []

    def ratio_row(name, ours, peer, minimum, p99_factor=1.0):
        if not ours or not peer:
            rows.append((name, "not measured", "scenario did not run"))
            return
        ratio = ours["result"]["rps"] / peer["result"]["rps"]
        p99, peer_p99 = _ms(ours["result"]["p99_us"]), _ms(peer["result"]["p99_us"])
        ok = ratio >= minimum and p99 <= peer_p99 * p99_factor
        rows.append((name, _verdict(ok), f"{ratio:.2f}x, p99 {p99:.2f} vs {peer_p99:.2f} ms"))

    ratio_row("gateway >= 1.1x nginx proxy (16 connections), p99 no worse",
              _one(results, "pin-gateway-proxy-16c"), _one(results, "pin-nginx-proxy-16c"), 1.1)
    ratio_row("monolith GET /mysfits/{id} >= 1.0x nginx fixed (16 connections), p99 no worse",
              _one(results, "pin-monolith-profile-16c"), _one(results, "pin-nginx-fixed-16c"), 1.0)

    seed, proxy = _one(results, "pin-seed-like"), _one(results, "pin-nginx-proxy-16c")
    if seed and proxy:
        ratio = seed["result"]["rps"] / proxy["result"]["rps"]
        p99 = _ms(seed["result"]["p99_us"])
        counted = bool(seed.get("audit") and seed["audit"]["passed"])
        rows.append(("seed like path on one CPU >= 0.5x nginx proxy, p99 < 5 ms, every like "
                     "counted", _verdict(ratio >= 0.5 and p99 < 5.0 and counted),
                     f"{ratio:.2f}x, p99 {p99:.2f} ms, audit {'exact' if counted else 'FAILED'}"))
    else:
        rows.append(("seed like path on one CPU", "not measured", "scenario did not run"))

    for connections in (256, 1024):
        ours = _entries(results, rf"pin-gateway-proxy-{connections}c(-run\d+)?")
        if not ours:
            continue
        detail, ok = [], True
        for entry in ours:
            peer = _one(results, entry["key"].replace("gateway", "nginx"))
            if not peer:
                continue
            r, p = entry["result"], peer["result"]
            run_ok = r["rps"] >= p["rps"] and r["p99_us"] <= p["p99_us"] and not _slow(entry)
            ok &= run_ok
            detail.append(f"{r['rps'] / p['rps']:.2f}x p99 {_ms(r['p99_us']):.0f}/"
                          f"{_ms(p['p99_us']):.0f} ms max {_ms(r['max_us']):.0f} ms")
        rows.append((f"gateway at {connections} connections, every run: >= nginx proxy, p99 no "
                     "worse, nothing over 1 s", _verdict(ok), "; ".join(detail)))

    ours = _entries(results, r"pin-monolith-profile-1024c(-run\d+)?")
    if ours:
        detail, ok = [], True
        for entry in ours:
            peer = _one(results, entry["key"].replace("monolith-profile", "nginx-fixed"))
            if not peer:
                continue
            factor = entry["result"]["p99_us"] / max(peer["result"]["p99_us"], 1)
            ok &= factor <= 2.0
            detail.append(f"p99 {_ms(entry['result']['p99_us']):.1f} vs "
                          f"{_ms(peer['result']['p99_us']):.1f} ms")
        rows.append(("monolith at 1,024 connections: p99 within 2x nginx fixed", _verdict(ok),
                     "; ".join(detail)))
    rows += dynamodb_targets(results)
    return rows


def _monolith_cpu(results, key):
    entry = _one(results, key)
    return entry["cpu_us_per_request"].get("monolith") if entry else None


def dynamodb_targets(results):
    """The DynamoDB path against the fake, at the SQLite run's offered rate: the monolith's own
    CPU per request, pooled TLS connections, and throughput with 5 ms of added latency."""
    rows = []
    for route, kind in (("GET /mysfits/{id}", "profile"), ("like", "like")):
        sqlite = _monolith_cpu(results, f"pin-store-sqlite-{kind}")
        http = _monolith_cpu(results, f"pin-store-dynamodb-http-{kind}")
        tls = _monolith_cpu(results, f"pin-store-dynamodb-tls-{kind}")
        if None in (sqlite, http, tls):
            continue
        rows.append((f"monolith CPU per {route} on DynamoDB/HTTP <= SQLite + 20 us",
                     _verdict(http <= sqlite + 20), f"{http:.1f} vs {sqlite:.1f} us "
                     f"(+{http - sqlite:.1f})"))
        rows.append((f"monolith CPU per {route}: TLS adds <= 10 us over HTTP",
                     _verdict(tls <= http + 10), f"{tls:.1f} vs {http:.1f} us "
                     f"(+{tls - http:.1f})"))
    tls_runs = _entries(results, r"pin-store-dynamodb-tls-[\w-]+")
    if tls_runs:
        # The client may open up to one connection per request in flight (wrk's connections)
        # while its pool fills; a handshake per request would be thousands.
        accepted = [(e["counters"].get("tls_connections_accepted", 0), e["result"]["requests"],
                     e["connections"]) for e in tls_runs]
        ok = all(n <= conns for n, _, conns in accepted)
        rows.append(("no TLS handshake per request in steady state (connections the TLS front "
                     "accepted during the measured run)", _verdict(ok),
                     "; ".join(f"{n} for {requests:,} requests" for n, requests, _ in accepted)))
    latency = _one(results, "pin-store-latency")
    if latency:
        ceiling = latency["connections"] / 0.005
        rps = latency["result"]["rps"]
        rows.append((f"{latency['connections']} connections to a DynamoDB 5 ms away: >= 80% of "
                     f"{latency['connections']} / 5 ms", _verdict(rps >= 0.8 * ceiling),
                     f"{rps:,.0f} req/s = {rps / ceiling:.0%} of {ceiling:,.0f}"))
    return rows


def render(results, info, command, load_before, load_after):
    lines = ["# Mysfits on one CPU (bench/load/run --pin)", "",
             f"Servers on CPU 0 with one worker each, wrk on CPU 1. {info['cpu']}; "
             f"commit {info['commit']}; load average "
             f"{load_before} before, {load_after} after.", "",
             f"Reproduce: `{command}`. Where the time goes for the targets missed (perf "
             "profiles): [bench/README.md](../README.md#one-cpu-where-the-time-goes).", "",
             "## Targets", "",
             "| target | verdict | measured |", "|---|---|---|"]
    for name, verdict, detail in targets(results):
        lines.append(f"| {name} | {verdict} | {detail} |")
    lines += ["", "## Every scenario", "",
              "| scenario | conn | req/s | p50 ms | p99 ms | max ms | timeouts | CPU us/request |",
              "|---|---|---|---|---|---|---|---|"]
    for entry in results:
        r = entry["result"]
        cpu = ", ".join(f"{name} {us:.1f}" for name, us in entry["cpu_us_per_request"].items())
        cpu += "".join(f"; {name.replace('_', ' ')}: {n}"
                       for name, n in entry.get("counters", {}).items())
        lines.append(f"| {entry['label']} | {entry.get('connections', '')} | {r['rps']:,.0f} | "
                     f"{_ms(r['p50_us']):.2f} | {_ms(r['p99_us']):.2f} | {_ms(r['max_us']):.1f} | "
                     f"{r['errors']['timeout']} | {cpu} |")
    lines.append("")
    return "\n".join(lines)
