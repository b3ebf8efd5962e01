"""The issue's performance targets, judged from one run's results (ratios within the run)."""

MIB = 1024  # KiB
RSS_LIMIT_KIB = 30 * MIB
# "Flat": after the first quarter of the run (allocator pools and caches warm), RSS grows by at
# most 1 MiB or 5 %, whichever is larger.
FLAT_SLACK_KIB = MIB
FLAT_SLACK_FRACTION = 0.05


def by_key(results):
    return {r["key"]: r for r in results}


def best_of(results, prefix):
    candidates = [r for r in results if r["key"].startswith(prefix)]
    return max(candidates, key=lambda r: r["result"]["rps"]) if candidates else None


def peer_of(entry, results):
    """The peer an entry's ratio is taken against, or None."""
    if entry["key"].startswith(("monolith-profile", "monolith-list")):
        return best_of(results, "nginx-fixed-")
    if entry["key"].startswith("gateway-proxy"):
        return best_of(results, "nginx-proxy-")
    return None


def _ms(us):
    return us / 1000.0


def _verdict(ok):
    return "met" if ok else "missed"


def _read_target(results, key, what):
    """key: the scenario's prefix; its best thread count counts, as nginx's best worker count."""
    entry, peer = best_of(results, key), best_of(results, "nginx-fixed-")
    name = f"Monolith `{what}`: >= 0.6x nginx's fixed response, p99 < 2 ms"
    if not entry or not peer:
        return {"target": name, "status": "not measured", "detail": "scenario did not run"}
    ratio = entry["result"]["rps"] / peer["result"]["rps"]
    p99 = _ms(entry["result"]["p99_us"])
    return {"target": name, "status": _verdict(ratio >= 0.6 and p99 < 2.0),
            "detail": f"{ratio:.2f}x {peer['label']} ({entry['label']}), p99 {p99:.2f} ms"}


def _gateway_target(results):
    name = "Gateway with the like-stage Ingress: >= nginx proxying the same routes (best worker " \
           "count) in req/s, p99 no worse"
    entry, peer = best_of(results, "gateway-proxy"), best_of(results, "nginx-proxy-")
    if not entry or not peer:
        return {"target": name, "status": "not measured", "detail": "scenario did not run"}
    ratio = entry["result"]["rps"] / peer["result"]["rps"]
    p99, peer_p99 = _ms(entry["result"]["p99_us"]), _ms(peer["result"]["p99_us"])
    return {"target": name, "status": _verdict(ratio >= 1.0 and p99 <= peer_p99),
            "detail": f"{ratio:.2f}x {peer['label']} ({entry['label']}), p99 {p99:.2f} ms vs "
                      f"{peer_p99:.2f} ms"}


def _seed_like_target(results):
    name = "Seed path `POST /mysfits/{id}/like` (gateway -> like -> monolith -> SQLite): " \
           ">= 8,000 req/s, p99 < 10 ms, every like counted"
    entry = by_key(results).get("seed-like")
    if not entry:
        return {"target": name, "status": "not measured", "detail": "scenario did not run"}
    rps, p99 = entry["result"]["rps"], _ms(entry["result"]["p99_us"])
    counted = entry["audit"] is not None and entry["audit"]["passed"]
    return {"target": name, "status": _verdict(rps >= 8000 and p99 < 10.0 and counted),
            "detail": f"{rps:,.0f} req/s, p99 {p99:.2f} ms, likes "
                      f"{'all counted' if counted else 'LOST'}"}


def _memory_target(results, long_run):
    name = "Each service's RSS under that load < 30 MiB, flat over a 60 s run"
    entry = by_key(results).get("seed-like")
    if not entry:
        return {"target": name, "status": "not measured", "detail": "scenario did not run"}
    parts, ok = [], True
    for service, rss in entry["rss"].items():
        if rss is None:
            continue
        growth = rss["growth_after_first_quarter_kib"]
        flat = growth <= max(FLAT_SLACK_KIB, FLAT_SLACK_FRACTION * rss["end_kib"])
        ok = ok and rss["max_kib"] < RSS_LIMIT_KIB and (flat or not long_run)
        parts.append(f"{service} max {rss['max_kib'] / MIB:.1f} MiB, "
                     f"{growth / MIB:+.1f} MiB after the first quarter")
    detail = "; ".join(parts)
    if not long_run:
        return {"target": name, "status": _verdict(ok) + " (size only: quick run, flatness "
                "needs 60 s)", "detail": detail}
    return {"target": name, "status": _verdict(ok), "detail": detail}


def evaluate(results, long_run):
    return [
        _read_target(results, "monolith-profile", "GET /mysfits/{id}"),
        _read_target(results, "monolith-list", "GET /mysfits"),
        _gateway_target(results),
        _seed_like_target(results),
        _memory_target(results, long_run),
    ]
