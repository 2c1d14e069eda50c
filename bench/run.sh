#!/usr/bin/env bash
# Throughput of Beacon's `/` against nginx serving the same bytes as a static
# file, measured in one run on one machine (compare the ratio, not the
# absolute numbers: these machines are shared and noisy).
#
# Needs wrk and nginx (apt-get install -y wrk nginx). Every load is bounded:
# ROUNDS rounds of DURATION each, on 127.0.0.1 only.
#   bench/run.sh            # 2 rounds of 10s, 64 connections
#   ROUNDS=3 DURATION=20s CONNECTIONS=128 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
BEACON_PORT=${BEACON_PORT:-18500}
NGINX_PORT=${NGINX_PORT:-18501}

work=$(mktemp -d)
cleanup() {
  [ -f "$work/nginx.pid" ] && nginx -c "$work/nginx.conf" -s stop 2>/dev/null || true
  [ -n "${beacon_pid:-}" ] && kill "$beacon_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --locked --quiet
binary=$(realpath "${CARGO_TARGET_DIR:-target}/release/beacon")
(cd "$work" && exec "$binary" serve --listen "127.0.0.1:$BEACON_PORT" >"$work/beacon.log" 2>&1) &
beacon_pid=$!
# The built-in demo: wait until its first check results are in.
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$BEACON_PORT/" 2>/dev/null | grep -q "All Systems Operational" && break
  sleep 0.5
done
mkdir -p "$work/www"
curl -fsS "http://127.0.0.1:$BEACON_PORT/" -o "$work/www/index.html"
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/www;
    location / { try_files /index.html =404; }
  }
}
CONF
nginx -c "$work/nginx.conf"
sleep 0.5

rate() { wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$1" | awk '/Requests\/sec/ {print $2}'; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); page: $(wc -c <"$work/www/index.html") bytes"
for round in $(seq 1 "$ROUNDS"); do
  b=$(rate "http://127.0.0.1:$BEACON_PORT/")
  n=$(rate "http://127.0.0.1:$NGINX_PORT/")
  awk -v r="$round" -v b="$b" -v n="$n" 'BEGIN { printf "round %d: beacon %.0f req/s, nginx %.0f req/s, ratio %.2f\n", r, b, n, b / n }'
done
