"""The Markdown report of one run: figures, ratios, memory, the like audit, the targets."""

import os

from . import targets

MIB = 1024


def _ms(us):
    return f"{us / 1000:.2f}"


def _rss_cell(entry):
    parts = [f"{name} {rss['max_kib'] / MIB:.1f}" for name, rss in entry["rss"].items() if rss]
    return ", ".join(parts) if parts else "—"


def _cpu_cell(entry):
    cpu = entry.get("cpu_us_per_request") or {}
    ours = ", ".join(f"{name} {us:.0f}" for name, us in cpu.items())
    return f"{ours} (wrk {entry['result']['wrk_cpu_us_per_request']:.0f})"


def cpu_ceiling(entry, cores):
    """The req/s the run's CPU cost allows on idle cores: every process's CPU per request
    (wrk's too) must fit in cores seconds per second, and wrk's in its one thread."""
    cpu = entry.get("cpu_us_per_request") or {}
    wrk_us = entry["result"]["wrk_cpu_us_per_request"]
    total = sum(cpu.values()) + wrk_us
    if total <= 0 or wrk_us <= 0:
        return None
    return min(cores * 1e6 / total, 1e6 / wrk_us)


def _ratio_cell(entry, results):
    peer = targets.peer_of(entry, results)
    if peer is None:
        return "peer" if entry["key"].startswith("nginx-") else "—"
    return f"{entry['result']['rps'] / peer['result']['rps']:.2f}x {peer['label']}"


def _errors_cell(result):
    socket_errors = sum(v for k, v in result["errors"].items() if k != "status")
    parts = []
    other = {s: n for s, n in result["statuses"].items() if not 200 <= s < 300}
    if other:
        parts.append(", ".join(f"{n:,} x {s}" for s, n in sorted(other.items())))
    elif result["errors"]["status"]:
        parts.append(f"{result['errors']['status']:,} non-2xx")
    if socket_errors:
        parts.append(f"{socket_errors:,} socket errors")
    return "; ".join(parts) if parts else "none"


def render(run, machine, command, load_before, load_after, chart_name):
    results = run.results
    lines = [
        f"# Load benchmark{' (quick smoke run)' if run.quick else ''}",
        "",
        f"Reproduce: `{command}` (builds the release preset, starts every system on free "
        "loopback ports, stops everything at the end). Each scenario: "
        f"`wrk -t1 -c{run.connections} -d{run.duration}s` after a {run.warmup} s warm-up; the "
        f"seed's like path runs {run.long_duration} s for the memory target. Ratios compare "
        "figures of this one run (peers and ours side by side); nothing here is a timed test "
        "assertion.",
        "",
        f"![req/s per scenario]({chart_name})",
        "",
        "## Results",
        "",
        "| scenario | route | req/s | p50 ms | p99 ms | ratio to peer | CPU µs/request | "
        "CPU ceiling req/s | max RSS MiB | errors and non-2xx |",
        "|---|---|---:|---:|---:|---|---|---:|---|---|",
    ]
    cores = os.cpu_count() or 1
    for e in results:
        r = e["result"]
        ceiling = cpu_ceiling(e, cores)
        lines.append(f"| {e['label']} | {e['route']} | {r['rps']:,.0f} | {_ms(r['p50_us'])} | "
                     f"{_ms(r['p99_us'])} | {_ratio_cell(e, results)} | {_cpu_cell(e)} | "
                     f"{f'{ceiling:,.0f}' if ceiling else '—'} | {_rss_cell(e)} | "
                     f"{_errors_cell(r)} |")
    lines += ["", "CPU µs/request: user + system CPU time each server process group used during "
              "the run, divided by the requests wrk completed; in brackets, wrk's own. Unlike req/s it hardly depends on "
              "what else the machine runs, so it compares efficiency even on a busy machine. CPU "
              "ceiling: the req/s at which those costs would fill every core (and wrk its one "
              "thread) of an otherwise idle machine: what the run would reach if nothing else "
              "competed and nothing but CPU limited it.",
              "", "Mixed runs: a 409 is an adopt of a mysfit that is already adopted (each can be "
              "adopted once), the expected answer.", ""]
    rounds = [e for e in results if e.get("rounds")]
    if rounds:
        lines += ["## Rounds", "", f"Each scenario ran {len(rounds[0]['rounds'])} times, the "
                  "groups in turn; the table above shows the round of median req/s with the "
                  "median p50 and p99 over the rounds. Every round:", "",
                  "| scenario | req/s per round | p99 ms per round |", "|---|---|---|"]
        for e in rounds:
            rps = ", ".join(f"{r['rps']:,.0f}" for r in e["rounds"])
            p99 = ", ".join(_ms(r["p99_us"]) for r in e["rounds"])
            lines.append(f"| {e['label']} | {rps} | {p99} |")
        lines.append("")
    lines += ["## Targets (issue 8)", "", "| target | status | measured |", "|---|---|---|"]
    for t in targets.evaluate(results, long_run=not run.quick):
        lines.append(f"| {t['target']} | **{t['status']}** | {t['detail']} |")
    audits = [e for e in results if e["audit"]]
    if audits:
        lines += ["", "## Like audit", "",
                  "Likes stored (sum of `likes` over the catalog, read from the monolith before "
                  "and after) against likes answered 200. A like still in flight when wrk stops "
                  "is stored but never seen answered: at most one per connection.", "",
                  "| scenario | answered 200 | stored | in flight at stop | every 200 counted |",
                  "|---|---:|---:|---:|---|"]
        for e in audits:
            a = e["audit"]
            lines.append(f"| {e['label']} | {a['answered_200']:,} | {a['stored']:,} | "
                         f"{a['in_flight_at_stop']} | {'yes' if a['passed'] else '**NO**'} |")
    lines += ["", "## Memory (RSS, MiB: start / max / end)", "", "| scenario | service | start | "
              "max | end | growth after first quarter |", "|---|---|---:|---:|---:|---:|"]
    for e in results:
        for name, rss in e["rss"].items():
            if rss:
                lines.append(f"| {e['label']} | {name} | {rss['start_kib'] / MIB:.1f} | "
                             f"{rss['max_kib'] / MIB:.1f} | {rss['end_kib'] / MIB:.1f} | "
                             f"{rss['growth_after_first_quarter_kib'] / MIB:+.1f} |")
    if run.skipped or run.failures:
        lines += ["", "## Not run / failed", ""]
        lines += [f"- skipped `{s['key']}`: {s['reason']}" for s in run.skipped]
        lines += [f"- FAILED: {f}" for f in run.failures]
    lines += ["", "## Machine and versions", "", "| | |", "|---|---|"]
    for k, v in machine.items():
        lines.append(f"| {k} | {v} |")
    lines.append(f"| load average (1/5/15 min) before / after | {load_before} / {load_after} |")
    lines += ["", "The load generator, the peers and our services share the same cores, as on "
              "any single machine; a load average well above the core count means other work "
              "competed with the run and every figure is low by that share.", ""]
    lines += ["## Exact wrk invocations", ""]
    lines += [f"- {e['label']}: `{e['result']['argv']}`" for e in results]
    return "\n".join(lines) + "\n"
