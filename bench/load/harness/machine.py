"""What the figures were measured on: machine, load, versions of everything in the path."""

import os
import platform
import subprocess


def _first_line(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def _package_version(name):
    return _first_line(["dpkg-query", "-W", "-f=${Version}", name])


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_gib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def describe(repo, build_dir):
    commit = _first_line(["git", "-C", repo, "rev-parse", "--short=12", "HEAD"])
    dirty = _first_line(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"])
    build_type = "unknown"
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith("CMAKE_BUILD_TYPE:"):
                    build_type = line.split("=", 1)[1].strip()
    except OSError:
        pass
    return {
        "cpu": f"{_cpu_model()}, {os.cpu_count()} logical CPUs",
        "memory": _mem_total_gib(),
        "kernel": f"{platform.system()} {platform.release()}",
        "os": _first_line(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "commit": commit + (" (with local changes)" if dirty not in ("", "unknown") else ""),
        "build": f"{build_type} ({build_dir})",
        "compiler": _first_line(["c++", "--version"]),
        "nginx": _first_line(["nginx", "-v"]),
        "wrk": _first_line(["wrk", "-v"]).split(" [")[0],
        "boost": _package_version("libboost1.81-dev"),
        "sqlite": _package_version("libsqlite3-0"),
        "openssl": _package_version("libssl3"),
    }
