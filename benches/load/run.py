#!/usr/bin/env python3
"""The load benchmark: the gateway generated from benches/bench.gw, the
hand-written Pingora reference (benches/src/bin/reference.rs) and nginx, in
front of two nginx origins weighted 3:1, measured in turn, several rounds,
in one run, with wrk.

For each proxy and workload it reports the median requests per second, the
median p99 latency, requests per CPU-second of the proxy's processes and
their resident memory after load, and writes the table, the machine and the
commands into docs/benchmarks.md. It reports; it never fails on a figure.

    scripts/bench                       # build, then run this
    benches/load/run.py --rounds 5 --seconds 10
    benches/load/run.py --study         # also the build-profile and allocator study
"""

import argparse
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "benchmarks.md"
CERTS = ROOT / "certs"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# name, http port, https port
PROXIES = [
    ("hand-written Pingora", 7280, 7643),
    ("generated gateway", 7180, 7543),
    ("nginx", 7380, 7743),
]

WORKLOADS = [
    ("HTTP/1.1 GET /api/ (header added)", "http", "/api/bench"),
    ("HTTPS GET /api/ (TLS terminated)", "https", "/api/bench"),
    ("cache hit GET /cached/", "http", "/cached/bench"),
]

ORIGINS_CONF = """
worker_processes 1;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  server { listen 127.0.0.1:7181; location / { return 200 "ok"; } }
  server { listen 127.0.0.1:7182; location / { return 200 "ok"; } }
}
"""

NGINX_PROXY_CONF = """
worker_processes 1;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  proxy_cache_path {dir}/cache keys_zone=bench:10m max_size=64m;
  upstream origins {
    server 127.0.0.1:7181 weight=3;
    server 127.0.0.1:7182 weight=1;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:7380;
    listen 127.0.0.1:7743 ssl;
    ssl_certificate {certs}/server.crt;
    ssl_certificate_key {certs}/server.key;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    location /api/ { proxy_set_header X-Bench gw; proxy_set_header Connection ""; proxy_set_header Host $http_host; proxy_pass http://origins; }
    location /cached/ { proxy_cache bench; proxy_cache_valid 200 1h; proxy_pass http://origins; }
    location / { proxy_pass http://origins; }
  }
}
"""


def run(command, **kwargs):
    return subprocess.run(command, check=True, text=True, capture_output=True, **kwargs)


def wait_for_port(port, process, timeout=20.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def process_tree(pid):
    """The pid and its children (nginx's workers)."""
    pids = [pid]
    try:
        children = run(["pgrep", "-P", str(pid)]).stdout.split()
        pids += [int(child) for child in children]
    except subprocess.CalledProcessError:
        pass
    return pids


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def rss_mib(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def wrk(url, seconds):
    output = run(["wrk", "-t1", "-c32", f"-d{seconds}s", "--latency", url]).stdout
    requests_per_second = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return requests_per_second, float(p99.group(1)) * scale, total, int(errors.group(1)) if errors else 0


class Proxy:
    def __init__(self, name, binary, workdir, env):
        self.name, self.binary, self.workdir, self.env = name, binary, workdir, env
        self.process = None

    def start(self, port):
        if self.name == "nginx":
            conf = self.workdir / "proxy.conf"
            conf.write_text(NGINX_PROXY_CONF.replace("{dir}", str(self.workdir)).replace("{certs}", str(CERTS)))
            command = ["nginx", "-p", str(self.workdir), "-c", str(conf), "-g", f"daemon off; pid {self.workdir}/proxy.pid; error_log stderr error;"]
        else:
            command = [str(self.binary)]
        self.process = subprocess.Popen(command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(port, self.process)
        time.sleep(0.3)
        return process_tree(self.process.pid)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT if self.name != "nginx" else signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def measure(args, binaries, workdir):
    env = dict(os.environ, RUST_LOG="error")
    origins_conf = workdir / "origins.conf"
    origins_conf.write_text(ORIGINS_CONF)
    origins = subprocess.Popen(
        ["nginx", "-p", str(workdir), "-c", str(origins_conf), "-g", f"daemon off; pid {workdir}/origins.pid; error_log stderr error;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = {}
    try:
        wait_for_port(7181, origins)
        wait_for_port(7182, origins)
        for round_number in range(args.rounds):
            for workload, scheme, path in WORKLOADS:
                for name, http_port, https_port in PROXIES:
                    port = https_port if scheme == "https" else http_port
                    proxy = Proxy(name, binaries.get(name), workdir, env)
                    try:
                        pids = proxy.start(port)
                        url = f"{scheme}://127.0.0.1:{port}{path}"
                        wrk(url, args.warmup)
                        before = cpu_seconds(pids)
                        rps, p99, total, errors = wrk(url, args.seconds)
                        cpu = cpu_seconds(pids) - before
                        rss = rss_mib(pids)
                    finally:
                        proxy.stop()
                    results.setdefault((workload, name), []).append((rps, p99, total / cpu if cpu else 0.0, rss, errors))
                    print(f"round {round_number + 1} {workload:40} {name:22} {rps:9.0f} req/s  p99 {p99:6.2f} ms  {total / cpu if cpu else 0:9.0f} req/CPU-s  {rss:6.1f} MiB  {errors} errors", flush=True)
    finally:
        origins.send_signal(signal.SIGTERM)
        origins.wait(timeout=10)
    return results


def table(results):
    lines = []
    for workload, _, _ in WORKLOADS:
        lines.append(f"**{workload}**\n")
        lines.append("| proxy | median req/s | median p99 | req per CPU-second | RSS after load | vs hand-written (req/s, req/CPU-s) |")
        lines.append("|---|---|---|---|---|---|")
        reference = results.get((workload, "hand-written Pingora"))
        reference_rps = statistics.median(r[0] for r in reference) if reference else None
        reference_cpu = statistics.median(r[2] for r in reference) if reference else None
        for name, _, _ in PROXIES:
            runs = results.get((workload, name))
            if not runs:
                continue
            rps = statistics.median(r[0] for r in runs)
            p99 = statistics.median(r[1] for r in runs)
            per_cpu = statistics.median(r[2] for r in runs)
            rss = statistics.median(r[3] for r in runs)
            errors = sum(r[4] for r in runs)
            ratio = f"{rps / reference_rps:.2f}, {per_cpu / reference_cpu:.2f}" if reference_rps else "-"
            note = f" ({errors} non-2xx)" if errors else ""
            lines.append(f"| {name}{note} | {rps:,.0f} | {p99:.2f} ms | {per_cpu:,.0f} | {rss:.1f} MiB | {ratio} |")
        lines.append("")
    return "\n".join(lines)


def machine():
    cpu = "unknown CPU"
    try:
        for line in run(["lscpu"]).stdout.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    nginx = run(["nginx", "-v"]).stderr.strip().replace("nginx version: ", "")
    wrk_version = subprocess.run(["wrk", "--version"], text=True, capture_output=True).stdout.splitlines()[0] if shutil.which("wrk") else "?"
    rustc = run(["rustc", "--version"]).stdout.strip()
    return f"{os.cpu_count()} vCPUs ({cpu}), Linux {platform.release()}, {rustc}, {nginx}, {wrk_version.split(' Copyright')[0]}"


def write_docs(text):
    begin, end = "<!-- load:begin -->", "<!-- load:end -->"
    docs = DOCS.read_text()
    section = f"{begin}\n{text}\n{end}"
    if begin in docs:
        docs = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: section, docs, flags=re.S)
    else:
        docs += "\n" + section + "\n"
    DOCS.write_text(docs)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--profile", default="release", help="cargo profile the binaries were built with")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args()

    target = ROOT / "target" / args.profile
    binaries = {"hand-written Pingora": target / "reference", "generated gateway": target / "bench-gateway"}
    for binary in binaries.values():
        if not binary.exists():
            sys.exit(f"{binary} is missing: build with `cargo build --profile {args.profile} -p gw-benches --bins` (scripts/bench does)")
    with tempfile.TemporaryDirectory(prefix="gw-bench-") as workdir:
        # nginx's workers run as an unprivileged user: let them into the cache directory.
        os.chmod(workdir, 0o755)
        (Path(workdir) / "cache").mkdir(mode=0o777)
        os.chmod(Path(workdir) / "cache", 0o777)
        results = measure(args, binaries, Path(workdir))
    text = "\n".join([
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; cargo profile `{args.profile}`.",
        f"`wrk -t1 -c32 -d{args.seconds}s --latency`, {args.rounds} rounds, proxies measured in turn within each round (after a {args.warmup} s warm-up); medians of the rounds.",
        "One worker per proxy (`threads 1`, `worker_processes 1`); origins: one nginx worker serving 2-byte bodies on two ports, weighted 3:1, kept alive.",
        "CPU is the proxy's processes' user+system time during the measured run; RSS is their resident memory after it.",
        "",
        table(results),
    ])
    print()
    print(text)
    if not args.no_docs:
        write_docs(text)
        print(f"written to {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
