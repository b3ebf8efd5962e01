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


GROUPS = {"pin-proxy": proxy_group, "pin-monolith": monolith_group, "pin-seed": seed_group}
