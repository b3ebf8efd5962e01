"""bench/load/run --pin: the production shape. On EKS each pod gets one CPU, so every server here
runs on CPU 0 with one worker (our THREADS=1, nginx's worker_processes 1) and wrk on CPU 1. Each
scenario reports, besides req/s and latency, the CPU microseconds per request of every process
(from /proc/PID/stat before and after), and the many-connection scenarios start every run from
fresh processes with no warm-up, so the first burst counts."""

import os

from . import systems
from .processes import Services
from .scenarios import PLACEHOLDER_IDS, catalog_ids, measure, start_ready, wait_routed_like

SERVER_CPUS = "0"
WRK_CPUS = "1"
# The fake DynamoDB and its TLS front stand for a remote service: they run beside wrk, not on
# the server's CPU, so the monolith's CPU is its own. Paced runs leave wrk room for them.
STORE_CPUS = "1"
# The DynamoDB comparison runs every store at one offered rate (requests per second), well
# below what the monolith can do on either store, so that CPU per request compares like with
# like (at saturation, batching and idle wake-ups differ).
PACED_RATE = 4000
ADDED_LATENCY_MS = 5
LATENCY_CONNECTIONS = 64
TLS_POOL_CONNECTIONS = 128  # past the HTTP client's default of 64 idle connections per thread
LIKE_STAGE = "deploy/k8s/stages/like/ingress.yaml"


def _connection_counts(run):
    return (16, 256) if run.quick else (16, 256, 1024)


def _runs_at(run, connections):
    """Five runs where the tail is erratic (many connections), one where it is not."""
    return 1 if run.quick or connections <= 16 else 5


def _proxy_upstreams(port):
    return {"mythical-mysfits-like:80": port, "mythical-mysfits-nolike:80": port}


def proxy_group(run):
    """nginx proxy (1 worker) and the gateway (THREADS=1), each in front of a one-worker nginx
    upstream of its own, with the like stage's routes, at 16, 256 and 1,024 connections."""
    run.ids = run.ids or PLACEHOLDER_IDS
    ingress = os.path.join(run.repo, LIKE_STAGE)
    for connections in _connection_counts(run):
        for index in range(_runs_at(run, connections)):
            suffix = f"{connections}c" + (f"-run{index + 1}" if _runs_at(run, connections) > 1
                                           else "")
            for who in ("nginx", "gateway"):
                with Services() as services:
                    upstream, upstream_port = systems.nginx_fixed(
                        run.work_dir, f"upstream-{who}", 1, cpus=SERVER_CPUS)
                    start_ready(services, upstream, f"http://127.0.0.1:{upstream_port}/")
                    if who == "nginx":
                        proxy, port = systems.nginx_proxy(run.work_dir, "nginx-proxy-1w", 1,
                                                          upstream_port, cpus=SERVER_CPUS)
                        start_ready(services, proxy, f"http://127.0.0.1:{port}/")
                        label = "nginx proxy (1 worker)"
                    else:
                        proxy, port = systems.gateway(run.binaries, run.work_dir, "gateway", ingress,
                                                      _proxy_upstreams(upstream_port), threads=1,
                                                      cpus=SERVER_CPUS)
                        start_ready(services, proxy, f"http://127.0.0.1:{port}/mysfits")
                        label = "gateway (THREADS=1)"
                    measure(run, f"pin-{who}-proxy-{suffix}", f"{label}, {suffix}",
                            [proxy, upstream], port, "get_profile.lua", connections=connections,
                            warmup=1 if connections <= 16 else 0,
                            route="GET /mysfits/{id} -> upstream")


def monolith_group(run):
    """nginx's fixed answer (1 worker) and the monolith's GET /mysfits/{id} (THREADS=1, SQLite)
    at 16 connections, then at 1,024 from fresh processes."""
    for connections in (16, 1024) if not run.quick else (16,):
        for index in range(_runs_at(run, connections)):
            suffix = f"{connections}c" + (f"-run{index + 1}" if _runs_at(run, connections) > 1
                                           else "")
            warmup = 1 if connections <= 16 else 0
            with Services() as services:
                nginx, port = systems.nginx_fixed(run.work_dir, "nginx-fixed-1w", 1,
                                                  cpus=SERVER_CPUS)
                start_ready(services, nginx, f"http://127.0.0.1:{port}/")
                measure(run, f"pin-nginx-fixed-{suffix}", f"nginx fixed (1 worker), {suffix}",
                        [nginx], port, "get_root.lua", connections=connections, warmup=warmup,
                        route="GET /")
            with Services() as services:
                mono, port = systems.monolith(run.binaries, run.work_dir, "monolith", threads=1,
                                              cpus=SERVER_CPUS)
                start_ready(services, mono, f"http://127.0.0.1:{port}/readyz")
                run.ids = catalog_ids(port)
                measure(run, f"pin-monolith-profile-{suffix}",
                        f"monolith GET /mysfits/{{id}} (THREADS=1), {suffix}", [mono], port,
                        "get_profile.lua", connections=connections, warmup=warmup,
                        route="GET /mysfits/{id}")


def seed_group(run):
    """The seed's like path with its three processes on the one server CPU: gateway -> like ->
    monolith (SQLite), every like audited."""
    with Services() as services:
        mono, mono_port = systems.monolith(run.binaries, run.work_dir, "monolith", threads=1,
                                           cpus=SERVER_CPUS)
        start_ready(services, mono, f"http://127.0.0.1:{mono_port}/readyz")
        run.ids = catalog_ids(mono_port)
        like, like_port = systems.split_service(run.binaries, run.work_dir, "like", mono_port,
                                                threads=1, cpus=SERVER_CPUS)
        start_ready(services, like, f"http://127.0.0.1:{like_port}/readyz")
        upstreams = {"mythical-mysfits-like:80": like_port,
                     "mythical-mysfits-nolike:80": mono_port}
        gw, port = systems.gateway(run.binaries, run.work_dir, "gateway",
                                   os.path.join(run.repo, LIKE_STAGE), upstreams, threads=1,
                                   cpus=SERVER_CPUS)
        start_ready(services, gw, f"http://127.0.0.1:{port}/readyz")
        wait_routed_like(gw, port, run.ids[0])
        measure(run, "pin-seed-like", "seed path POST like (gateway -> like -> monolith, one CPU)",
                [gw, like, mono], port, "like.lua", audit_port=mono_port,
                route="POST /mysfits/{id}/like")


def _monolith_on(run, services, store):
    """Starts the store ("sqlite", "dynamodb-http", "dynamodb-tls") and the monolith on it;
    returns the processes to account CPU to, the monolith's port and the counters to read."""
    if store == "sqlite":
        mono, port = systems.monolith(run.binaries, run.work_dir, "monolith", threads=1,
                                      cpus=SERVER_CPUS)
        start_ready(services, mono, f"http://127.0.0.1:{port}/readyz")
        return [mono], port, None
    fake, fake_port = systems.fake_dynamodb(run.binaries, run.work_dir, cpus=STORE_CPUS)
    start_ready(services, fake, f"http://127.0.0.1:{fake_port}/readyz")
    processes, counters = [fake], None
    endpoint, ca_file = f"http://127.0.0.1:{fake_port}", None
    if store == "dynamodb-tls":
        front, front_port, status_port, ca_file, accepted = systems.tls_front(
            run.work_dir, "tls-front", fake_port, cpus=STORE_CPUS)
        start_ready(services, front, f"http://127.0.0.1:{status_port}/status")
        processes.append(front)
        endpoint = f"https://127.0.0.1:{front_port}"
        counters = {"tls_connections_accepted": accepted}
    mono, port = systems.monolith(run.binaries, run.work_dir, "monolith", threads=1,
                                  cpus=SERVER_CPUS, env=systems.dynamodb_env(endpoint, ca_file))
    start_ready(services, mono, f"http://127.0.0.1:{port}/readyz")
    return [mono] + processes, port, counters


def dynamodb_group(run):
    """The monolith's GET /mysfits/{id} and like on SQLite, on the fake DynamoDB over plain HTTP
    and over TLS (nginx front, a CA made for the run), all paced to PACED_RATE; then GET on a
    DynamoDB 5 ms away with 64 connections, unpaced: the client's pool must not be the cap.
    A quick run (the smoke test) does the reads of each store only."""
    for store in ("sqlite", "dynamodb-http", "dynamodb-tls"):
        with Services() as services:
            processes, port, counters = _monolith_on(run, services, store)
            run.ids = catalog_ids(port)
            measure(run, f"pin-store-{store}-profile", f"monolith GET /mysfits/{{id}} on {store}, "
                    f"paced {PACED_RATE}/s", processes, port, "get_profile.lua",
                    rate=PACED_RATE, counters=counters, route="GET /mysfits/{id}")
            if run.quick:
                continue
            measure(run, f"pin-store-{store}-like", f"monolith POST like on {store}, paced "
                    f"{PACED_RATE}/s", processes, port, "like.lua", rate=PACED_RATE,
                    counters=counters, audit_port=port, route="POST /mysfits/{id}/like")
    if run.quick:
        return
    _latency_scenario(run)
    _tls_pool_scenario(run)


def _latency_scenario(run):
    with Services() as services:
        fake, fake_port = systems.fake_dynamodb(run.binaries, run.work_dir,
                                                latency_ms=ADDED_LATENCY_MS, cpus=STORE_CPUS)
        start_ready(services, fake, f"http://127.0.0.1:{fake_port}/readyz")
        mono, port = systems.monolith(
            run.binaries, run.work_dir, "monolith", threads=1, cpus=SERVER_CPUS,
            env=systems.dynamodb_env(f"http://127.0.0.1:{fake_port}"))
        start_ready(services, mono, f"http://127.0.0.1:{port}/readyz")
        run.ids = catalog_ids(port)
        measure(run, "pin-store-latency", f"monolith GET /mysfits/{{id}} on dynamodb-http "
                f"{ADDED_LATENCY_MS} ms away, {LATENCY_CONNECTIONS} connections", [mono, fake],
                port, "get_profile.lua", connections=LATENCY_CONNECTIONS,
                route="GET /mysfits/{id}")


def _tls_pool_scenario(run):
    """More calls in flight than the HTTP client's default idle limit, over TLS: a pool that
    closed connections as they came back would shake hands again and again."""
    with Services() as services:
        fake, fake_port = systems.fake_dynamodb(run.binaries, run.work_dir,
                                                latency_ms=ADDED_LATENCY_MS, cpus=STORE_CPUS)
        start_ready(services, fake, f"http://127.0.0.1:{fake_port}/readyz")
        front, front_port, status_port, ca_file, accepted = systems.tls_front(
            run.work_dir, "tls-front", fake_port, cpus=STORE_CPUS)
        start_ready(services, front, f"http://127.0.0.1:{status_port}/status")
        mono, port = systems.monolith(
            run.binaries, run.work_dir, "monolith", threads=1, cpus=SERVER_CPUS,
            env=systems.dynamodb_env(f"https://127.0.0.1:{front_port}", ca_file))
        start_ready(services, mono, f"http://127.0.0.1:{port}/readyz")
        run.ids = catalog_ids(port)
        measure(run, "pin-store-dynamodb-tls-pool", f"monolith GET /mysfits/{{id}} on "
                f"dynamodb-tls {ADDED_LATENCY_MS} ms away, {TLS_POOL_CONNECTIONS} connections",
                [mono, fake, front], port, "get_profile.lua", connections=TLS_POOL_CONNECTIONS,
                counters={"tls_connections_accepted": accepted}, route="GET /mysfits/{id}")


GROUPS = {"pin-proxy": proxy_group, "pin-monolith": monolith_group, "pin-seed": seed_group,
          "pin-dynamodb": dynamodb_group}
