#!/usr/bin/env bash
# The per-request cost of a rate limit and a concurrency limit shared
# through Redis (issue 16), beside the same limits kept on the instance and
# beside no limit, in one run of the bench gateway (benches/bench.gw: /api/,
# /limited/, /shared/, /slots/, /shared-slots/):
# latency and throughput with wrk, the three paths interleaved three times,
# medians printed. Ratios within one run are what to compare; absolute
# figures move with the machine's load.
#
#   benches/load/shared.sh
#
# Needs target/release/bench-gateway (`scripts/bench`, or `cargo build
# --release -p gw-benches --bins --features mimalloc`), nginx, wrk and
# redis-server (scripts/setup installs it), started here on 127.0.0.1:7190.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
for tool in nginx wrk redis-server; do
  command -v "$tool" >/dev/null || { echo "shared.sh: $tool is missing" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
python3 -c "import sys; sys.path.insert(0, '$root/benches/load'); import run; open('$work/origins.conf', 'w').write(run.ORIGINS_CONF)"
nginx -p "$work" -c "$work/origins.conf" -g "daemon off; pid $work/origins.pid; error_log stderr error;" &
redis-server --port 7190 --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >/dev/null &
(cd "$root/benches" && exec "$root/target/release/bench-gateway" 2>"$work/gateway.log") &
for _ in $(seq 100); do
  curl -s -o /dev/null http://127.0.0.1:7180/api/x && break
  sleep 0.2
done
for path in /shared/ /shared-slots/; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:7180${path}x")
  [ "$status" = 200 ] || { echo "shared.sh: $path answered $status (is Redis up?)" >&2; cat "$work/gateway.log" >&2; exit 1; }
done
for path in /api/ /limited/ /shared/ /slots/ /shared-slots/; do wrk -t1 -c8 -d2s "http://127.0.0.1:7180${path}warm" >/dev/null; done
# A latency line of wrk (`50%  412.00us`, `1.20ms`, `1.01s`) in microseconds.
micros() {
  awk -v row="$1" '$1 == row { v = $2
    if (v ~ /us$/) { sub("us", "", v); print v }
    else if (v ~ /ms$/) { sub("ms", "", v); print v * 1000 }
    else { sub("s", "", v); print v * 1000000 } }'
}
declare -A rps p50 p99
for round in 1 2 3; do
  for path in /api/ /limited/ /shared/ /slots/ /shared-slots/; do
    out=$(wrk -t1 -c8 -d5s --latency "http://127.0.0.1:7180${path}bench")
    rps[$path]+="$(echo "$out" | awk '/Requests\/sec/ {print $2}') "
    p50[$path]+="$(echo "$out" | micros 50%) "
    p99[$path]+="$(echo "$out" | micros 99%) "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | sed -n 2p; }
printf '%-15s %12s %12s %12s\n' path req/s p50_us p99_us
for path in /api/ /limited/ /shared/ /slots/ /shared-slots/; do
  printf '%-15s %12s %12s %12s\n' "$path" "$(echo "${rps[$path]}" | median)" \
    "$(echo "${p50[$path]}" | median)" "$(echo "${p99[$path]}" | median)"
done
