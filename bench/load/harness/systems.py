"""What each scenario group runs: the nginx peers and our services, on free loopback ports."""

import os

from .processes import Service, free_port

NGINX_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "nginx")


class Binaries:
    """Our executables in one build's bin directory; missing ones are reported, not fatal."""

    NAMES = ("mysfits-monolith", "mysfits-like", "mysfits-adopt", "mysfits-gateway")

    def __init__(self, bin_dir):
        self.bin_dir = bin_dir

    def path(self, name):
        return os.path.join(self.bin_dir, name)

    def has(self, name):
        path = self.path(name)
        return os.path.isfile(path) and os.access(path, os.X_OK)


def render_nginx(template, work_dir, name, **values):
    """Writes template (nginx/<template>.conf.in) with @KEY@ placeholders filled in; each
    instance gets its own directory for pid, logs and temp paths."""
    instance_dir = os.path.join(work_dir, name)
    os.makedirs(instance_dir, exist_ok=True)
    values["DIR"] = instance_dir
    for conf in ("common", template):
        with open(os.path.join(NGINX_DIR, f"{conf}.conf.in")) as f:
            text = f.read()
        for key, value in values.items():
            text = text.replace(f"@{key}@", str(value))
        with open(os.path.join(instance_dir, f"{conf}.conf"), "w") as f:
            f.write(text)
    return instance_dir


# Enough for 1,024 clients plus the upstream connections of a proxy.
NGINX_WORKER_CONNECTIONS = 4096


def nginx_fixed(work_dir, name, workers, cpus=None):
    port = free_port()
    conf_dir = render_nginx("fixed", work_dir, name, PORT=port, WORKERS=workers,
                            WORKER_CONNECTIONS=NGINX_WORKER_CONNECTIONS)
    service = Service(name, ["nginx", "-p", conf_dir, "-c", os.path.join(conf_dir, "fixed.conf"),
                             "-e", os.path.join(conf_dir, "error.log")], work_dir, cpus=cpus)
    return service, port


def nginx_proxy(work_dir, name, workers, upstream_port, cpus=None):
    port = free_port()
    conf_dir = render_nginx("proxy", work_dir, name, PORT=port, WORKERS=workers,
                            UPSTREAM_PORT=upstream_port,
                            WORKER_CONNECTIONS=NGINX_WORKER_CONNECTIONS)
    service = Service(name, ["nginx", "-p", conf_dir, "-c", os.path.join(conf_dir, "proxy.conf"),
                             "-e", os.path.join(conf_dir, "error.log")], work_dir, cpus=cpus)
    return service, port


def service_env(port, **extra):
    env = {"HOST": "127.0.0.1", "PORT": str(port), "ADMIN_PORT": "0", "LOG_LEVEL": "info"}
    env.update(extra)
    return env


def threads_env(threads):
    """THREADS for a service: None keeps its default (one worker thread per core)."""
    return {} if threads is None else {"THREADS": str(threads)}


def monolith(binaries, work_dir, name="monolith", threads=None, cpus=None, env=None):
    """The monolith on SQLite, or on whatever store env names (DDB_TABLE_NAME, ...)."""
    port = free_port()
    db = os.path.join(work_dir, f"{name}.db")
    service = Service(name, [binaries.path("mysfits-monolith")], work_dir,
                      env=service_env(port, MYSFITS_DB=db, **threads_env(threads), **(env or {})),
                      cpus=cpus)
    return service, port


def split_service(binaries, work_dir, kind, monolith_port, threads=None, cpus=None):
    """mysfits-like or mysfits-adopt in front of the monolith at monolith_port."""
    port = free_port()
    service = Service(kind, [binaries.path(f"mysfits-{kind}")], work_dir,
                      env=service_env(port, MONOLITH_URL=f"127.0.0.1:{monolith_port}",
                                      **threads_env(threads)), cpus=cpus)
    return service, port


def gateway(binaries, work_dir, name, ingress_file, upstreams, threads=None, cpus=None):
    """mysfits-gateway with one Ingress file; upstreams maps Service:port names to local ports."""
    port = free_port()
    argv = [binaries.path("mysfits-gateway"), "--ingress", ingress_file]
    for backend, upstream_port in upstreams.items():
        argv += ["--upstream", f"{backend}=127.0.0.1:{upstream_port}"]
    service = Service(name, argv, work_dir, env=service_env(port, **threads_env(threads)),
                      cpus=cpus)
    return service, port
