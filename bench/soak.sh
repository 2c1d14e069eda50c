#!/usr/bin/env bash
# Soak: the public routes at full rate (wrk) for DURATION while the probe
# worker writes results every second and an operator posts a maintenance
# every second. Reports errors of each, results written, and the server's
# RSS before, at its highest and after. Loopback only, bounded in time; a
# measurement, not a CI assertion. Run it when no other benchmark runs
# (`pgrep -x wrk`).
#
# Needs wrk, curl and sqlite3.
#   bench/soak.sh                       # 60s, 64 connections
#   DURATION=120 CONNECTIONS=128 bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${SOAK_PORT:-18510}

if pgrep -x wrk >/dev/null; then
  echo "another wrk is running; not starting a soak beside it" >&2
  exit 1
fi
work=$(mktemp -d)
cleanup() {
  [ -n "${operator_pid:-}" ] && kill "$operator_pid" 2>/dev/null || true
  [ -n "${beacon_pid:-}" ] && kill "$beacon_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --locked --quiet
binary=$(realpath "${CARGO_TARGET_DIR:-target}/release/beacon")
cat >"$work/beacon.toml" <<TOML
[site]
title = "Soak"

[[components]]
id = "api"
name = "Public API"

[[components]]
id = "web"
name = "Website"

[[checks]]
id = "api-health"
component = "api"
kind = "http"
url = "http://127.0.0.1:$PORT/healthz"
interval = "1s"
timeout = "500ms"

[[checks]]
id = "web-tcp"
component = "web"
kind = "tcp"
address = "127.0.0.1:$PORT"
interval = "1s"
timeout = "500ms"
TOML
db="$work/beacon.db"
beacon() { exec "$binary" --config "$work/beacon.toml" --database "sqlite://$db" "$@"; }
token=$(beacon token create soak 2>/dev/null)  # (exec: in its own subshell)
(RUST_LOG=warn beacon --listen "127.0.0.1:$PORT" serve >"$work/beacon.log" 2>&1) &
beacon_pid=$!
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
rss() { awk '/VmRSS/ {print $2}' "/proc/$beacon_pid/status"; }
for path in / /incidents /api/v2/summary.json; do curl -fsS -o /dev/null "http://127.0.0.1:$PORT$path"; done
rss_before=$(rss)
results_before=$(sqlite3 "$db" "SELECT count(*) FROM check_results")

# The operator: one maintenance a second, counting answers that are not 201.
(
  ok=0; failed=0
  end=$((SECONDS + DURATION))
  while [ $SECONDS -lt $end ]; do
    start=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
    stop=$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
      -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"title\":\"Soak $ok\",\"starts_at\":\"$start\",\"ends_at\":\"$stop\",\"components\":[\"api\"]}" \
      "http://127.0.0.1:$PORT/api/admin/maintenances" || echo 000)
    if [ "$code" = 201 ]; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
    sleep 1
  done
  echo "$ok $failed" >"$work/operator"
) &
operator_pid=$!

cat >"$work/routes.lua" <<'LUA'
local paths = { "/", "/incidents", "/components/api", "/api/v2/summary.json",
                "/api/v2/status.json", "/feed.atom", "/feed.rss", "/badge/api.svg" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], { ["Accept-Encoding"] = "gzip" })
end
LUA

( while kill -0 "$beacon_pid" 2>/dev/null && [ -d "$work" ]; do rss >>"$work/rss" 2>/dev/null; sleep 1; done ) &
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$work/routes.lua" "http://127.0.0.1:$PORT" >"$work/wrk.txt"
wait "$operator_pid"
operator_pid=
sleep 2
rss_after=$(rss)
rss_max=$(sort -n "$work/rss" | tail -1)
results_after=$(sqlite3 "$db" "SELECT count(*) FROM check_results")
read -r posted refused <"$work/operator"
requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
rate=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt")
socket=$(awk '/Socket errors/ {print $0}' "$work/wrk.txt")
latency=$(awk '/Latency/ {print $2 " avg, " $4 " max"}' "$work/wrk.txt")
ready=$(curl -s "http://127.0.0.1:$PORT/readyz")
echo "machine: $(nproc) cores, $(uname -r); ${DURATION}s, $CONNECTIONS connections, 8 public routes"
echo "public: $requests requests, $rate req/s, latency $latency, non-2xx/3xx: ${non2xx:-0}${socket:+, $socket}"
echo "operator: $posted maintenances posted (201), $refused refused"
echo "probe: $((results_after - results_before)) results written (2 checks at 1 s)"
echo "rss: ${rss_before} KiB before, ${rss_max} KiB at most, ${rss_after} KiB after"
echo "readyz after: $ready"
grep -E "ERROR|panicked" "$work/beacon.log" | head -5 || true
