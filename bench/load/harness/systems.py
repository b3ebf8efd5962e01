"""What each scenario group runs: the nginx peers and our services, on free loopback ports."""

import os
import subprocess
import urllib.request

from .processes import Service, free_port

NGINX_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "nginx")


class Binaries:
    """Our executables in one build's bin directory; missing ones are reported, not fatal."""

    NAMES = ("mysfits-monolith", "mysfits-like", "mysfits-adopt", "mysfits-gateway",
             "mysfits-fake-dynamodb")

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


FAKE_TABLE = "BenchMysfits"


def fake_dynamodb(binaries, work_dir, name="fake-dynamodb", latency_ms=0, cpus=None):
    """mysfits-fake-dynamodb (one thread): the mysfits table in memory over plain HTTP."""
    port = free_port()
    argv = [binaries.path("mysfits-fake-dynamodb"), "--table", FAKE_TABLE,
            "--latency-ms", str(latency_ms)]
    service = Service(name, argv, work_dir, env=service_env(port, THREADS="1"), cpus=cpus)
    return service, port


def dynamodb_env(endpoint_url, ca_file=None):
    """What the monolith needs to use the fake's table: test keys (a session token too, so the
    whole signing path runs), the endpoint, and nothing of this machine's own AWS set-up. With
    ca_file, OpenSSL's SSL_CERT_FILE: the client verifies against the system's default CA paths,
    which that variable replaces."""
    env = {"DDB_TABLE_NAME": FAKE_TABLE, "AWS_ENDPOINT_URL_DYNAMODB": endpoint_url,
           "AWS_ACCESS_KEY_ID": "AKIDMYSFITSBENCH", "AWS_SECRET_ACCESS_KEY": "mysfits-bench",
           "AWS_SESSION_TOKEN": "mysfits-bench-session", "AWS_REGION": "us-east-1",
           "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials", "AWS_PROFILE": "",
           "AWS_ROLE_ARN": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "",
           "AWS_CONTAINER_CREDENTIALS_FULL_URI": "",
           "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": ""}
    if ca_file:
        env["SSL_CERT_FILE"] = ca_file
    return env


def make_test_ca(directory):
    """A CA made for this run (ca.pem) and a certificate for 127.0.0.1 it signed (server.pem,
    server.key), with openssl."""
    os.makedirs(directory, exist_ok=True)

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=mysfits bench CA", "-keyout", "ca.key", "-out", "ca.pem",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
            "-keyout", "server.key", "-out", "server.csr")
    with open(os.path.join(directory, "server.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                "extendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "1", "-out", "server.pem", "-extfile", "server.ext")
    return os.path.join(directory, "ca.pem")


def tls_front(work_dir, name, upstream_port, cpus=None):
    """nginx (one worker) terminating TLS before the fake DynamoDB. Returns the service, its
    HTTPS port, its stub_status port, the CA file to trust, and a function that reads how many
    connections it has accepted so far."""
    port, status_port = free_port(), free_port()
    conf_dir = render_nginx("tls_front", work_dir, name, PORT=port, STATUS_PORT=status_port,
                            UPSTREAM_PORT=upstream_port, WORKERS=1,
                            WORKER_CONNECTIONS=NGINX_WORKER_CONNECTIONS)
    ca_file = make_test_ca(conf_dir)
    service = Service(name, ["nginx", "-p", conf_dir, "-c",
                             os.path.join(conf_dir, "tls_front.conf"),
                             "-e", os.path.join(conf_dir, "error.log")], work_dir, cpus=cpus)

    def accepted():
        with urllib.request.urlopen(f"http://127.0.0.1:{status_port}/status", timeout=5) as r:
            # "Active connections: N \n server accepts handled requests\n A H R \n ..."
            return int(r.read().decode().splitlines()[2].split()[0])
    return service, port, status_port, ca_file, accepted
