"""Child processes on loopback: start, wait until ready, sample memory, always stop."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request


class StartError(RuntimeError):
    pass


def free_port():
    """A port the kernel just handed out on 127.0.0.1 (free unless raced; good enough here)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(url, method="GET", timeout=1.0):
    """The status of one request, or None when nothing answered."""
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return None


def http_json(url, method="GET", timeout=5.0):
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


class Service:
    """One child in its own process group, output to a log file; stop() ends the whole group
    (nginx's workers included)."""

    def __init__(self, name, argv, log_dir, env=None, cwd=None, cpus=None):
        self.name = name
        # cpus ("0"): the process and everything it forks run on those CPUs only (taskset).
        self.argv = (["taskset", "-c", cpus] if cpus is not None else []) + argv
        self.env = env or {}
        self.cwd = cwd
        self.log_path = os.path.join(log_dir, f"{name}.log")
        self.process = None

    def start(self):
        env = dict(os.environ)
        env.update(self.env)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=env, cwd=self.cwd, start_new_session=True)
        return self

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines=15):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def wait_ready(self, url, timeout=30.0, expect=200):
        """Polls url until it answers expect; fails early when the process exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise StartError(f"{self.name} exited with {self.process.returncode} before it "
                                 f"was ready:\n{self.log_tail()}")
            if http_status(url) == expect:
                return
            time.sleep(0.05)
        raise StartError(f"{self.name} not ready at {url} within {timeout:.0f}s:\n"
                         f"{self.log_tail()}")

    def rss_kib(self):
        """Resident memory of every process in the group (nginx: master + workers), in KiB."""
        if not self.alive():
            return None
        return sum(rss_of(pid) for pid in group_members(self.process.pid))

    def cpu_seconds(self):
        """User + system CPU time consumed so far by every process in the group."""
        if not self.alive():
            return None
        return sum(cpu_of(pid) for pid in group_members(self.process.pid))

    def stop(self, timeout=10.0):
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        # Workers that outlived their master (they should not) go too.
        for pid in group_members(self.process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _stat_fields(pid):
    """/proc/PID/stat after the parenthesised command name: state ppid pgrp ... (field 3 on)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return []
    return stat[stat.rfind(")") + 2:].split()


def group_members(pgid):
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(entry)
            if len(fields) > 2 and int(fields[2]) == pgid:
                members.append(int(entry))
    return members


def cpu_of(pid):
    fields = _stat_fields(pid)
    if len(fields) < 13:
        return 0.0
    # utime and stime (fields 14 and 15), all threads included, in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_of(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Services:
    """Everything one benchmark system runs; a context manager that stops all of it, in reverse
    start order, whatever happened."""

    def __init__(self):
        self.running = []

    def start(self, service):
        self.running.append(service.start())
        return service

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop_all()
        return False

    def stop_all(self):
        while self.running:
            self.running.pop().stop()

    def crashed(self):
        return [s for s in self.running if not s.alive()]
