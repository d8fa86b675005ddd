#!/usr/bin/env bash
# Instructions per proxied request, counted by callgrind: a figure that,
# unlike req/s on a shared machine, does not move between runs.
#
#   benches/load/instructions.sh [PATH]       # default /api/bench
#   KEEP=DIR benches/load/instructions.sh ... # keeps callgrind's files in DIR
#
# `/policed/...` (allow, limit rate, auth jwt) is sent with an HS256 token
# made from benches/bench-jwt-secret.txt, which both proxies verify.
#
# Needs the binaries of `scripts/bench` (target/release/{reference,bench-gateway}),
# nginx, wrk and valgrind. Each proxy runs under callgrind in front of the
# benchmark's two nginx origins; after a warm-up, instrumentation is switched
# on for 10 s of `wrk -t1 -c8`, and the instructions of the proxy process
# (all threads) are divided by the requests wrk completed. memcpy's
# `rep movsb` counts one instruction per byte copied, so large copies weigh
# more here than in time.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
path=${1:-/api/bench}
headers=()
if [[ $path == /policed/* ]]; then
  # {"alg":"HS256","typ":"JWT"}.{"sub":"bench","exp":4102444800}, signed with the secret.
  token=$(python3 -c "
import base64, hmac, hashlib, json
b = lambda data: base64.urlsafe_b64encode(data).rstrip(b'=')
head = b(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode()) + b'.' + b(json.dumps({'sub': 'bench', 'exp': 4102444800}).encode())
print((head + b'.' + b(hmac.new(open('$root/benches/bench-jwt-secret.txt', 'rb').read().strip(), head, hashlib.sha256).digest())).decode())")
  headers=(-H "Authorization: Bearer $token")
fi
for tool in nginx wrk valgrind callgrind_control callgrind_annotate; do
  command -v "$tool" >/dev/null || { echo "instructions.sh: $tool is missing" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
python3 -c "import sys; sys.path.insert(0, '$root/benches/load'); import run; open('$work/origins.conf', 'w').write(run.ORIGINS_CONF)"
nginx -p "$work" -c "$work/origins.conf" -g "daemon off; pid $work/origins.pid; error_log stderr error;" &
measure() { # id label binary port
  (cd "$root/benches" && exec valgrind --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$work/$1.out" "$3" >"$work/$1.log" 2>&1) &
  local pid=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null "${headers[@]}" "http://127.0.0.1:$4$path" && break
    sleep 0.2
  done
  wrk -t1 -c8 -d4s "${headers[@]}" "http://127.0.0.1:$4$path" >/dev/null
  callgrind_control -i on "$pid" >/dev/null 2>&1
  wrk -t1 -c8 -d10s "${headers[@]}" "http://127.0.0.1:$4$path" >"$work/$1.wrk"
  callgrind_control -i off "$pid" >/dev/null 2>&1
  kill -INT "$pid"
  wait "$pid" 2>/dev/null || true
  local requests instructions
  requests=$(awk '/requests in/ {print $1}' "$work/$1.wrk")
  instructions=$(callgrind_annotate "$work/$1.out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  echo "$2: $requests requests, $((instructions / requests)) instructions per request"
  if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$work/$1.out" "$KEEP/$1.out"; fi
}
measure reference "hand-written Pingora" "$root/target/release/reference" 7280
measure generated "generated gateway" "$root/target/release/bench-gateway" 7180
