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
    benches/load/run.py --study         # the build-profile and allocator study
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
    # The generated gateway writes an access log line (combined, to a file)
    # per request; the reference and nginx proxy it without one: compare
    # with the first workload.
    ("HTTP/1.1 GET /logged/ (access log to a file)", "http", "/logged/bench"),
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
    """One proxy process: nginx with the equivalent config, or a binary."""

    def __init__(self, name, binary, workdir, env):
        self.name, self.binary, self.workdir, self.env = name, binary, workdir, env
        self.process = None

    def start(self, port):
        if self.binary is None:
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
            # SIGINT stops Pingora at once (SIGTERM would wait out its grace period).
            self.process.send_signal(signal.SIGTERM if self.binary is None else signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def measure(args, cases, workdir):
    """Runs every case once per round, in turn; returns {(row, column): [runs]}.

    A case is (row, column, proxy name, binary or None for nginx, port, url).
    """
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
            # Every other round in the opposite order, so that no proxy
            # always runs first (or right after another).
            ordered = cases if round_number % 2 == 0 else list(reversed(cases))
            for row, column, name, binary, port, url in ordered:
                proxy = Proxy(name, binary, workdir, env)
                try:
                    pids = proxy.start(port)
                    wrk(url, args.warmup)
                    before = cpu_seconds(pids)
                    rps, p99, total, errors = wrk(url, args.seconds)
                    cpu = cpu_seconds(pids) - before
                    rss = rss_mib(pids)
                finally:
                    proxy.stop()
                per_cpu = total / cpu if cpu else 0.0
                results.setdefault((row, column), []).append((rps, p99, per_cpu, rss, errors))
                print(f"round {round_number + 1}  {row[:44]:44} {column:22} {rps:9.0f} req/s  p99 {p99:6.2f} ms  {per_cpu:9.0f} req/CPU-s  {rss:6.1f} MiB  {errors} errors", flush=True)
    finally:
        origins.send_signal(signal.SIGTERM)
        origins.wait(timeout=10)
    return results


def medians(runs):
    """Median req/s, p99, req/CPU-s and RSS of the rounds, and all errors."""
    return tuple(statistics.median(run[i] for run in runs) for i in range(4)) + (sum(run[4] for run in runs),)


def paired_ratio(runs, reference, field):
    """The median over rounds of `runs` / `reference` in that round: the
    machine's drift between rounds cancels out."""
    return statistics.median(run[field] / base[field] for run, base in zip(runs, reference) if base[field])


def comparison_cases(binaries):
    cases = []
    for workload, scheme, path in WORKLOADS:
        for name, http_port, https_port in PROXIES:
            port = https_port if scheme == "https" else http_port
            cases.append((workload, name, name, binaries.get(name), port, f"{scheme}://127.0.0.1:{port}{path}"))
    return cases


def comparison_table(results):
    lines = []
    for workload, _, _ in WORKLOADS:
        lines.append(f"**{workload}**\n")
        lines.append("| proxy | median req/s | median p99 | req per CPU-second | RSS after load | vs hand-written: req/s | vs hand-written: req/CPU-s |")
        lines.append("|---|---|---|---|---|---|---|")
        reference = results.get((workload, "hand-written Pingora"))
        for name, _, _ in PROXIES:
            runs = results.get((workload, name))
            if not runs:
                continue
            rps, p99, per_cpu, rss, errors = medians(runs)
            ratios = (
                f"{paired_ratio(runs, reference, 0):.2f} | {paired_ratio(runs, reference, 2):.2f}"
                if reference
                else "- | -"
            )
            note = f" ({errors} non-2xx)" if errors else ""
            lines.append(f"| {name}{note} | {rps:,.0f} | {p99:.2f} ms | {per_cpu:,.0f} | {rss:.1f} MiB | {ratios} |")
        lines.append("")
    return "\n".join(lines)


# The build-profile and allocator study: label, cargo profile, features.
STUDY = [
    ("Cargo's default release, glibc malloc", "release-default", ""),
    ("Cargo's default release, mimalloc", "release-default", "mimalloc"),
    ("Cargo's default release, jemalloc", "release-default", "jemalloc"),
    ("codegen-units 1, mimalloc", "release-cgu1", "mimalloc"),
    ("thin LTO, mimalloc", "release-thin", "mimalloc"),
    ("fat LTO + codegen-units 1 (the project's release), glibc malloc", "release", ""),
    ("fat LTO + codegen-units 1 (the project's release), mimalloc", "release", "mimalloc"),
    ("fat LTO + codegen-units 1 (the project's release), jemalloc", "release", "jemalloc"),
]
STUDY_WORKLOAD = WORKLOADS[0]
STUDY_PROXIES = ["hand-written Pingora", "generated gateway"]


def cargo_build(profile, features, target_dir=None):
    command = ["cargo", "build", "--locked", "--profile", profile, "-p", "gw-benches", "--bins"]
    if features:
        command += ["--features", features]
    env = dict(os.environ)
    if target_dir:
        env["CARGO_TARGET_DIR"] = str(target_dir)
    start = time.monotonic()
    subprocess.run(command, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    return time.monotonic() - start


def build_study(workdir, clean_builds):
    """Builds each configuration; returns [(label, profile, features, rebuild s, clean s, dir)].

    The rebuild time is what a user waits after editing a route: the
    dependencies are built, the gateway crate and the link are redone.
    """
    built = []
    clean = {}
    for index, (label, profile, features) in enumerate(STUDY):
        if profile in clean_builds and profile not in clean:
            with tempfile.TemporaryDirectory(prefix="gw-clean-") as target_dir:
                print(f"clean build, profile {profile} ...", flush=True)
                clean[profile] = cargo_build(profile, "", target_dir)
                print(f"clean build, profile {profile}: {clean[profile]:.0f} s", flush=True)
        cargo_build(profile, features)
        for source in ["benches/bench.gw", "benches/src/bin/reference.rs"]:
            os.utime(ROOT / source)
        rebuild = cargo_build(profile, features)
        directory = workdir / f"config-{index}"
        directory.mkdir()
        for binary in ["reference", "bench-gateway"]:
            shutil.copy2(ROOT / "target" / profile / binary, directory / binary)
        print(f"built {label}: rebuild after an edit {rebuild:.0f} s", flush=True)
        built.append((label, profile, features, rebuild, clean.get(profile), directory))
    return built


def study_cases(built):
    _, scheme, path = STUDY_WORKLOAD
    cases = []
    for label, _, _, _, _, directory in built:
        for name, http_port, _ in PROXIES:
            if name in STUDY_PROXIES:
                binary = directory / ("reference" if name == "hand-written Pingora" else "bench-gateway")
                cases.append((label, name, name, binary, http_port, f"{scheme}://127.0.0.1:{http_port}{path}"))
    return cases


def study_table(built, results):
    lines = [
        f"**{STUDY_WORKLOAD[0]}**, by build configuration\n",
        "| configuration | rebuild of both binaries after an edit | clean build | hand-written req/s | hand-written req/CPU-s | generated req/s | generated req/CPU-s | generated / hand-written (req/s, req/CPU-s) | hand-written vs first row (req/s) | RSS (generated) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    first = None
    for label, profile, features, rebuild, clean, _ in built:
        reference_runs = results[(label, "hand-written Pingora")]
        generated_runs = results[(label, "generated gateway")]
        reference, generated = medians(reference_runs), medians(generated_runs)
        paired = (paired_ratio(generated_runs, reference_runs, 0), paired_ratio(generated_runs, reference_runs, 2))
        first = first or reference
        clean_text = f"{clean / 60:.1f} min" if clean else "-"
        lines.append(
            f"| {label} (`--profile {profile}`{' --features ' + features if features else ''}) | {rebuild:.0f} s | {clean_text} "
            f"| {reference[0]:,.0f} | {reference[2]:,.0f} | {generated[0]:,.0f} | {generated[2]:,.0f} "
            f"| {paired[0]:.2f}, {paired[1]:.2f} | {reference[0] / first[0]:.2f} | {generated[3]:.1f} MiB |"
        )
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


def write_docs(text, marker):
    begin, end = f"<!-- {marker}:begin -->", f"<!-- {marker}:end -->"
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
    parser.add_argument("--features", default="", help="cargo features the binaries were built with (recorded with the figures)")
    parser.add_argument("--study", action="store_true", help="the build-profile and allocator study instead (builds each configuration)")
    parser.add_argument("--clean-builds", nargs="*", default=[], metavar="PROFILE",
                        help="in the study, also time a clean build of these profiles (all of the study's if none named)")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gw-bench-") as workdir:
        workdir = Path(workdir)
        # nginx's workers run as an unprivileged user: let them into the cache directory.
        os.chmod(workdir, 0o755)
        (workdir / "cache").mkdir(mode=0o777)
        os.chmod(workdir / "cache", 0o777)
        if args.study:
            clean_builds = args.clean_builds if args.clean_builds else []
            if args.clean_builds == [] and "--clean-builds" in sys.argv:
                clean_builds = sorted({profile for _, profile, _ in STUDY})
            built = build_study(workdir, clean_builds)
            results = measure(args, study_cases(built), workdir)
            body, marker = study_table(built, results), "study"
            what = "each configuration built by this script (the rebuild time is that of `cargo build` after touching `bench.gw` and `reference.rs`)"
        else:
            target = ROOT / "target" / args.profile
            binaries = {"hand-written Pingora": target / "reference", "generated gateway": target / "bench-gateway"}
            for binary in binaries.values():
                if not binary.exists():
                    sys.exit(f"{binary} is missing: build with `cargo build --profile {args.profile} -p gw-benches --bins` (scripts/bench does)")
            results = measure(args, comparison_cases(binaries), workdir)
            body, marker = comparison_table(results), "load"
            what = f"cargo profile `{args.profile}`" + (f", features `{args.features}`" if args.features else "")
    text = "\n".join([
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; {what}.",
        f"Command: `{' '.join(['benches/load/run.py'] + sys.argv[1:])}`. "
        f"`wrk -t1 -c32 -d{args.seconds}s --latency`, {args.rounds} rounds, every proxy measured in turn within each round, in the opposite order every other round (after a {args.warmup} s warm-up); medians of the rounds; the ratios to the hand-written proxy are medians of the per-round ratios.",
        "One worker per proxy (`threads 1`, `worker_processes 1`); origins: one nginx worker serving 2-byte bodies on two ports, weighted 3:1, kept alive.",
        "CPU is the proxy's processes' user+system time during the measured run; RSS is their resident memory after it.",
        "",
        body,
    ])
    print()
    print(text)
    if not args.no_docs:
        write_docs(text, marker)
        print(f"written to {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
