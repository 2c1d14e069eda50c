#!/usr/bin/env bash
# Beacon's benchmark (issue 8), one command on one machine, 127.0.0.1 only:
#
#   bench/run.sh             # full run, ~15 minutes
#   QUICK=1 bench/run.sh     # smoke run, ~2 minutes
#
# It builds Beacon (release, --locked), installs wrk and nginx with apt when
# missing, generates a 50-component config with 90 days of history
# (bench/gen_history.py), and measures, alternating Beacon and nginx (one
# worker) serving the very same bytes (gzip_static / brotli_static files of
# Beacon's own compressed answers):
#   - req/s and p50/p99 latency of 8 public routes, with and without
#     `Accept-Encoding: gzip, deflate, br` (median of ROUNDS wrk runs);
#   - bytes per route, raw and compressed;
#   - render cost (criterion benches in benches/, when present);
#   - CPU per probe, schedule lag and dropped results at PROBE_CHECKS HTTP
#     checks at a 1 s interval against a local nginx, for PROBE_SECONDS;
#   - the 100-check, 90-day history database (~13 M results): size and
#     cold-start times of the first `/` and `/components/{id}`;
#   - RSS idle, after load and after a SOAK_SECONDS soak of `/`.
# The table goes to stdout and to OUT (default bench/out/latest.md).
#
# Every load is bounded in time; on exit (or Ctrl-C) every process it
# started is stopped and its temporary directory removed (KEEP=1 keeps it).
# Compare ratios, not absolute figures: the machine may be shared.
#
# Parameters (environment):              default   QUICK=1
#   DURATION      one wrk run              5s        1s
#   ROUNDS        wrk runs per server      3         1
#   CONNECTIONS / THREADS  wrk -c / -t     64 / 1
#   PROBE_CHECKS / PROBE_SECONDS           1000 / 60  1000 / 10
#   SOAK_SECONDS  load on / for the soak   60        5
#   HISTORY_DAYS  days of the 100-check history database  90  7
#   BENCH_SECONDS criterion measurement time per bench    5   1
#   LOCK_WATCH    seconds the write lock is watched after the cold start  15  5
#   WAIT_IDLE     seconds to wait for another benchmark to end  600
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

if [ "${QUICK:-0}" = 1 ]; then
  defaults=(1s 1 10 5 7 1 5)
else
  defaults=(5s 3 60 60 90 5 15)
fi
DURATION=${DURATION:-${defaults[0]}}
ROUNDS=${ROUNDS:-${defaults[1]}}
PROBE_SECONDS=${PROBE_SECONDS:-${defaults[2]}}
SOAK_SECONDS=${SOAK_SECONDS:-${defaults[3]}}
HISTORY_DAYS=${HISTORY_DAYS:-${defaults[4]}}
BENCH_SECONDS=${BENCH_SECONDS:-${defaults[5]}}
LOCK_WATCH=${LOCK_WATCH:-${defaults[6]}}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-1}
PROBE_CHECKS=${PROBE_CHECKS:-1000}
WAIT_IDLE=${WAIT_IDLE:-600}
OUT=${OUT:-bench/out/latest.md}
ACCEPT="gzip, deflate, br"

say() { printf '%s\n' "$*" >&2; }
die() { say "bench/run.sh: $*"; exit 1; }

# --- cleanup: every process we start is in `pids`, every nginx in `nginx_confs`.
work=$(mktemp -d "${TMPDIR:-/tmp}/beacon-bench.XXXXXX")
chmod 755 "$work" # nginx workers may run as another user
pids=()
nginx_confs=()
cleanup() {
  local pid conf
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  for conf in "${nginx_confs[@]}"; do stop_nginx "$conf"; done
  if [ "${KEEP:-0}" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Processes that ended leave the list, so cleanup never signals a reused pid.
untrack() {
  local keep=() pid
  for pid in "${pids[@]}"; do [ "$pid" = "$1" ] || keep+=("$pid"); done
  pids=("${keep[@]}")
}
# Runs a command in the background, tracked for cleanup; waits for it.
tracked() {
  "$@" &
  local pid=$! rc=0
  pids+=("$pid")
  wait "$pid" || rc=$?
  untrack "$pid"
  return "$rc"
}

# --- tools
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  say "installing $* with apt"
  as_root apt-get install -y "$@" >"$work/apt.log" 2>&1 ||
    { as_root apt-get update >>"$work/apt.log" 2>&1 && as_root apt-get install -y "$@" >>"$work/apt.log" 2>&1; }
}
brotli_module=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  apt_install "${missing[@]}" || die "cannot install ${missing[*]} (see apt-get output: run it by hand)"
fi
if [ ! -e "$brotli_module" ] && command -v apt-get >/dev/null; then
  apt_install libnginx-mod-http-brotli-static || say "no brotli module for nginx: it serves gzip only"
fi
[[ $(nginx -V 2>&1) == *http_gzip_static_module* ]] || die "this nginx lacks gzip_static"

# --- no other benchmark at the same time (the machine may be shared)
others() { { pgrep -x wrk; pgrep -f -- '/deps/[^ ]+ --bench'; } 2>/dev/null | grep -vx "$$" || true; }
waited=0
while [ -n "$(others)" ]; do
  [ "$waited" -ge "$WAIT_IDLE" ] && die "another benchmark is still running after ${WAIT_IDLE}s: $(others | tr '\n' ' ')"
  [ "$waited" = 0 ] && say "waiting for another benchmark to finish (pids $(others | tr '\n' ' '))"
  sleep 10
  waited=$((waited + 10))
done
# Measurements during which someone else's benchmark ran, by name.
foreign=()
check_foreign() {
  [ -z "$(others)" ] || [[ " ${foreign[*]} " == *" $1 "* ]] || foreign+=("$1")
}

# --- build
started=$SECONDS
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
say "building Beacon (release, --locked)"
cargo build --release --locked --quiet
binary=$(realpath "${CARGO_TARGET_DIR:-target}/release/beacon")
has_benches=0
if [ -d benches ] && grep -q '^\[\[bench\]\]' Cargo.toml; then
  has_benches=1
  say "building the criterion benches"
  cargo bench --locked --bench '*' --no-run --quiet
fi
gen() { python3 "$repo/bench/gen_history.py" --beacon "$binary" --out "$work" "$@"; }
fig() { python3 "$repo/bench/figures.py" "$@"; }

# --- helpers
read -r port_target port_beacon port_nginx < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
clk_tck=$(getconf CLK_TCK)
rss_kb() {
  [ -e "/proc/$1/status" ] || die "process $1 exited (Beacon? see its log: run with KEEP=1)"
  awk '/^VmRSS/ {print $2}' "/proc/$1/status"
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
wait_http() { # url seconds
  for _ in $(seq 1 $(($2 * 10))); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  die "no answer from $1 after $2 s"
}
beacon_pid=
start_beacon() { # name config [serve flags]
  local name=$1 config=$2
  shift 2
  (cd "$work" && exec "$binary" --config "$config" --listen "127.0.0.1:$port_beacon" serve "$@") \
    >"$work/$name.log" 2>&1 &
  beacon_pid=$!
  pids+=("$beacon_pid")
}
stop_beacon() {
  kill "$beacon_pid" 2>/dev/null || true
  wait "$beacon_pid" 2>/dev/null || true
  untrack "$beacon_pid"
}
start_nginx() { # conf
  nginx -t -q -c "$1" 2>"$work/nginx-test.err" || die "nginx rejects $1: $(cat "$work/nginx-test.err")"
  nginx -c "$1"
  nginx_confs+=("$1")
}
stop_nginx() { if [ -e "${1%.conf}.pid" ]; then nginx -c "$1" -s stop 2>/dev/null || true; fi; }
# Whether Beacon's / (fetched compressed, as browsers do) contains TEXT.
page_has() {
  curl -fsS --compressed -H "Accept-Encoding: $ACCEPT" -o "$work/page" "http://127.0.0.1:$port_beacon/" 2>/dev/null &&
    grep -q "$1" "$work/page"
}
brotli_conf() { [ -e "$brotli_module" ] && echo "load_module $brotli_module;"; true; }

# --- the probe target: nginx answering every /health/ path, logging each request's time;
# `target_conf BROKEN_PATH` makes one path answer 503 (the freshness phase).
target_conf() {
  local broken=
  [ -z "$1" ] || broken="location = $1 { return 503; }"
  cat >"$work/target.conf" <<CONF
worker_processes 1;
pid $work/target.pid;
error_log $work/target.err;
events { worker_connections 4096; }
http {
  log_format probe '\$msec \$uri \$status';
  access_log $work/target.log probe buffer=256k flush=1s;
  server {
    listen 127.0.0.1:$port_target;
    location /health/ { default_type text/plain; return 200 "ok\n"; }
    $broken
  }
}
CONF
}
target_conf ""
start_nginx "$work/target.conf"
target="http://127.0.0.1:$port_target"

# ============ 1. Throughput: 50 components in 5 groups, 10 s checks, 90 days of history
say "generating the 50-component site"
gen --name site --target "$target" --components 50 --groups 5 --interval 10 --history-days 90 \
  --raw-days 1 --fail-fast 1 >"$work/site.json"
start_beacon site "$work/site.toml"
# Ready = every check's data fresh (the generated history may have aged past
# 3 intervals while it was written; the first probes renew it).
wait_http "http://127.0.0.1:$port_beacon/readyz" 30
sleep 2
rss_idle=$(rss_kb "$beacon_pid") # before any page was asked for
component=svc-001
routes=("/" "/components/$component" "/incidents" "/api/v2/summary.json" "/api/v2/components.json"
  "/feed.rss" "/feed.atom" "/badge/$component.svg")

# The very same bytes for nginx: Beacon's identity, gzip and br answers.
mkdir -p "$work/www"
: >"$work/bytes.tsv"
: >"$work/weights.md"
locations=
encoding_of() { awk 'tolower($1) == "content-encoding:" {gsub("\r", ""); print $2}' "$1"; }
for i in "${!routes[@]}"; do
  route=${routes[$i]}
  url="http://127.0.0.1:$port_beacon$route"
  curl -fsS -D "$work/h" -o "$work/www/$i" "$url"
  type=$(awk 'tolower($1) == "content-type:" {sub(/^[^:]*: */, ""); gsub("\r", ""); print}' "$work/h")
  for enc in gzip br; do
    curl -fsS -H "Accept-Encoding: $enc" -D "$work/h" -o "$work/www/$i.$enc" "$url"
    [ "$(encoding_of "$work/h")" = "$enc" ] || rm -f "$work/www/$i.$enc"
  done
  [ -e "$brotli_module" ] || rm -f "$work/www/$i.br"
  printf "| \`%s\` | %s | %s | %s |\n" "$route" "$(wc -c <"$work/www/$i")" \
    "$([ -e "$work/www/$i.gzip" ] && wc -c <"$work/www/$i.gzip" || echo "identity")" \
    "$([ -e "$work/www/$i.br" ] && wc -c <"$work/www/$i.br" || echo "identity")" >>"$work/weights.md"
  # No gzip answer from Beacon: nginx gets the best gzip of the same bytes.
  if [ -e "$work/www/$i.gzip" ]; then mv "$work/www/$i.gzip" "$work/www/$i.gz"; else gzip -9 -c "$work/www/$i" >"$work/www/$i.gz"; fi
  curl -fsS -H "Accept-Encoding: $ACCEPT" -D "$work/h" -o "$work/b" "$url"
  benc=$(encoding_of "$work/h")
  raw=$(wc -c <"$work/www/$i")
  printf '%s\tnone\tidentity\t%s\tidentity\t%s\n' "$route" "$raw" "$raw" >>"$work/bytes.tsv"
  locations+="    location = $route { default_type \"$type\"; rewrite ^ /$i break; }"$'\n'
  printf '%s\t%s\t%s\n' "$route" "${benc:-identity}" "$(wc -c <"$work/b")" >"$work/benc.$i"
done

rss_warm=$(rss_kb "$beacon_pid")
css=$(grep -o '<link rel="stylesheet" href="[^"]*"' "$work/www/0" | head -1 | sed 's/.*href="//; s/"$//')
css_line="Stylesheet: none linked from /."
if [ -n "$css" ]; then
  curl -fsS -o "$work/css" "http://127.0.0.1:$port_beacon$css"
  css_line="Stylesheet ($css): $(wc -c <"$work/css") bytes (identity)."
fi

cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx.err;
$(brotli_conf)
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  gzip_static on;
  $([ -e "$brotli_module" ] && echo "brotli_static on;")
  server {
    listen 127.0.0.1:$port_nginx;
    root $work/www;
    location / { default_type application/octet-stream; }
$locations  }
}
CONF
start_nginx "$work/nginx.conf"
wait_http "http://127.0.0.1:$port_nginx/" 10
for i in "${!routes[@]}"; do
  curl -fsS -H "Accept-Encoding: $ACCEPT" -D "$work/h" -o "$work/n" "http://127.0.0.1:$port_nginx${routes[$i]}"
  IFS=$'\t' read -r route benc bn <"$work/benc.$i"
  rm "$work/benc.$i"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$route" "$ACCEPT" "$benc" "$bn" "$(encoding_of "$work/h")" \
    "$(wc -c <"$work/n")" >>"$work/bytes.tsv"
done

say "throughput: ${#routes[@]} routes x 2 encodings x $ROUNDS rounds x 2 servers x $DURATION"
load_before_wrk=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$work/results.tsv"
run_wrk() { # server url round route enc [header]
  local server=$1 url=$2 round=$3 route=$4 enc=$5
  shift 5
  check_foreign "$route:${enc%%,*}"
  tracked wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency --timeout 15s "$@" "$url" >"$work/wrk.out" 2>&1 ||
    die "wrk failed on $url: $(tail -3 "$work/wrk.out")"
  printf '%s\t%s\t%s\t%s\t%s\n' "$route" "$enc" "$server" "$round" "$(fig wrk "$work/wrk.out")" >>"$work/results.tsv"
}
for route in "${routes[@]}"; do
  for enc in none "$ACCEPT"; do
    header=()
    [ "$enc" = none ] || header=(-H "Accept-Encoding: $enc")
    for round in $(seq 1 "$ROUNDS"); do
      run_wrk beacon "http://127.0.0.1:$port_beacon$route" "$round" "$route" "$enc" "${header[@]}"
      run_wrk nginx "http://127.0.0.1:$port_nginx$route" "$round" "$route" "$enc" "${header[@]}"
    done
  done
done
rss_after_load=$(rss_kb "$beacon_pid")

say "soak: / with $ACCEPT for ${SOAK_SECONDS}s"
soak_rss=("$(rss_kb "$beacon_pid")")
check_foreign soak
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SOAK_SECONDS}s" -H "Accept-Encoding: $ACCEPT" \
  "http://127.0.0.1:$port_beacon/" >"$work/soak.out" 2>&1 &
soak_pid=$!
pids+=("$soak_pid")
step=$(((SOAK_SECONDS + 9) / 10))
while kill -0 "$soak_pid" 2>/dev/null; do
  sleep "$step"
  soak_rss+=("$(rss_kb "$beacon_pid")")
done
wait "$soak_pid" || die "soak wrk failed: $(tail -3 "$work/soak.out")"
untrack "$soak_pid"
soak_rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/soak.out")
soak_line=$(printf '%s\n' "${soak_rss[@]}" | awk -v rps="$soak_rps" '
  NR == 1 { first = $1 } { last = $1; if ($1 > max) max = $1 }
  END { printf "%.1f MB at start, %.1f MB max, %.1f MB at the end (%+.1f MB); %s req/s", first / 1024, max / 1024, last / 1024, (last - first) / 1024, rps }')

# Freshness under load: the target starts failing the first check (failure
# threshold 1, 10 s interval); how long after that failing probe does a
# compressed / show it, while wrk keeps / busy?
say "freshness: breaking $component's check under load on /"
fresh_line="skipped: / did not read \"All Systems Operational\" before"
if page_has "All Systems Operational"; then
  check_foreign freshness
  wrk -t"$THREADS" -c"$CONNECTIONS" -d30s -H "Accept-Encoding: $ACCEPT" "http://127.0.0.1:$port_beacon/" \
    >"$work/fresh.out" 2>&1 &
  fresh_pid=$!
  pids+=("$fresh_pid")
  sleep 1
  broken=/health/$component-api
  target_conf "$broken"
  nginx -c "$work/target.conf" -s reload 2>/dev/null
  t_break=$(now)
  t_seen=
  for _ in $(seq 1 250); do # 25 s: one interval + 1 s is the bound, with room to see a miss
    if page_has "Major System Outage"; then
      t_seen=$(now)
      break
    fi
    sleep 0.1
  done
  kill "$fresh_pid" 2>/dev/null || true
  wait "$fresh_pid" 2>/dev/null || true
  untrack "$fresh_pid"
  target_conf ""
  nginx -c "$work/target.conf" -s reload 2>/dev/null
  sleep 1.5 # the access log is flushed every second
  t_fail=$(awk -v a="$t_break" -v p="$broken" '$1 >= a && $2 == p && $3 == 503 { print $1; exit }' "$work/target.log")
  if [ -z "$t_seen" ]; then
    fresh_line="**not seen** on / within 25 s of breaking the check (failing probe at the target: ${t_fail:-none})"
  elif [ -n "$t_fail" ]; then
    fresh_line=$(awk -v f="$t_fail" -v s="$t_seen" -v b="$t_break" 'BEGIN {
      printf "/ showed the outage %.2f s after the failing probe, %.1f s after the target broke (bound: one 10 s interval + 1 s = 11 s)", s - f, s - b }')
  fi
fi
stop_beacon
stop_nginx "$work/nginx.conf"

# ============ 2. Probe cost: PROBE_CHECKS HTTP checks at 1 s against the local nginx
say "probe cost: $PROBE_CHECKS checks at 1 s for ${PROBE_SECONDS}s"
gen --name probe --target "$target" --components $((PROBE_CHECKS / 10)) --groups 10 \
  --checks-per-component 10 --interval 1 --no-history >/dev/null
start_beacon probe "$work/probe.toml"
wait_http "http://127.0.0.1:$port_beacon/healthz" 30
sleep 5
metrics() { curl -fsS "http://127.0.0.1:$port_beacon/metrics" >"$1"; }
check_foreign probe-cost
metrics "$work/m1"
: >"$work/target.log"
t1=$(now)
c1=$(cpu_ticks "$beacon_pid")
tracked sleep "$PROBE_SECONDS"
c2=$(cpu_ticks "$beacon_pid")
t2=$(now)
metrics "$work/m2"
check_foreign probe-cost
rss_probe=$(rss_kb "$beacon_pid")
sleep 1.5 # nginx flushes its access log every second
stop_beacon
window=$(elapsed "$t1" "$t2")
r1=$(fig metric-sum "$work/m1" beacon_check_results_total)
r2=$(fig metric-sum "$work/m2" beacon_check_results_total)
probes_seen=$(awk -v a="$t1" -v b="$t2" '$1 >= a && $1 < b' "$work/target.log" | wc -l)
if [ "$r1" = absent ] || [ "$r2" = absent ]; then
  recorded=$probes_seen # per probe that reached the target instead
  r_note="no beacon_check_results_total in /metrics: CPU is per probe seen at the target"
else
  recorded=$((r2 - r1))
  r_note="$recorded results recorded (beacon_check_results_total)"
fi
expected=$(awk -v n="$PROBE_CHECKS" -v w="$window" 'BEGIN { printf "%.0f", n * w }')
cpu_line=$(awk -v d=$((c2 - c1)) -v hz="$clk_tck" -v n="$recorded" -v w="$window" 'BEGIN {
  s = d / hz; printf "%.3f ms CPU per result (%.1f s CPU over %.1f s: %.0f %% of one core)", n ? s * 1000 / n : 0, s, w, 100 * s / w }')
lag_metric=$(fig hist-p99 "$work/m1" "$work/m2" beacon_probe_schedule_lag_seconds)
lag_target=$(fig lag "$work/target.log" "$t1" "$t2" 1)
dropped_log=$(grep -c 'dropping results' "$work/probe.log" || true)

# ============ 3. History at scale: 100 checks at 60 s, HISTORY_DAYS days
say "generating the history database (100 checks, 60 s, $HISTORY_DAYS days)"
gen --name history --target "$target" --components 50 --groups 5 \
  --checks-per-component 2 --interval 60 --history-days "$HISTORY_DAYS" >"$work/history.json"
history_db=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["database"])' "$work/history.json")
read -r hist_results hist_seconds < <(python3 -c '
import json, sys; s = json.load(open(sys.argv[1])); print(s["results"], s["seconds"])' "$work/history.json")
db_bytes=$(stat -c %s "$history_db")
sync
cached_before=$(awk '/^Cached:/ {print $2}' /proc/meminfo)
if (as_root sh -c 'echo 3 > /proc/sys/vm/drop_caches') 2>/dev/null; then
  cached_after=$(awk '/^Cached:/ {print $2}' /proc/meminfo)
  drop_line="page cache dropped (Cached $(mb "$cached_before") → $(mb "$cached_after"))"
else
  drop_line="page cache NOT dropped (no permission to write /proc/sys/vm/drop_caches): warm-cache figures"
fi
check_foreign cold-start
t0=$(now)
start_beacon history "$work/history.toml"
fig lockwatch "$history_db" "$LOCK_WATCH" >"$work/lockwatch.out" &
lock_pid=$!
pids+=("$lock_pid")
first_ms=
for _ in $(seq 1 3000); do
  if req=$(curl -fsS -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port_beacon/" 2>/dev/null); then
    first_ms=$(awk -v a="$t0" -v b="$(now)" -v r="$req" 'BEGIN { printf "%.0f ms after the process started (the request itself: %.0f ms)", (b - a) * 1000, r * 1000 }')
    break
  fi
  sleep 0.01
done
[ -n "$first_ms" ] || die "the history site did not answer / within 30 s"
comp_first=$(curl -fsS -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port_beacon/components/$component")
comp_second=$(curl -fsS -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port_beacon/components/svc-002")
wait "$lock_pid" || die "lockwatch failed"
untrack "$lock_pid"
prune_line=$(grep -m1 'pruned raw results' "$work/history.log" | sed 's/\x1b\[[0-9;]*m//g' || true)
stop_beacon
db_after=$(stat -c %s "$history_db")

# ============ 4. Render cost
render_lines="- not present (no criterion benchmark in benches/)"
if [ "$has_benches" = 1 ]; then
  say "render cost: cargo bench"
  check_foreign render-cost
  tracked cargo bench --locked --bench '*' --quiet -- --warm-up-time 1 --measurement-time "$BENCH_SECONDS" \
    --output-format bencher >"$work/criterion.out" 2>"$work/criterion.err" ||
    die "cargo bench failed: $(tail -5 "$work/criterion.err")"
  render_lines=$(fig bencher "$work/criterion.out")
fi

# ============ Report
mkdir -p "$(dirname "$OUT")"
{
  echo "## Beacon benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- code: $(git -C "$repo" describe --always --dirty) ($(git -C "$repo" rev-parse --abbrev-ref HEAD))"
  echo "- machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, Linux $(uname -r)"
  echo "- tools: $(nginx -v 2>&1 | sed 's/.*: //') (1 worker, gzip_static$([ -e "$brotli_module" ] && echo ", brotli_static")), $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}'), $(rustc --version | awk '{print $1, $2}')"
  echo "- load average (1/5/15 min): $load_at_start at start, $load_before_wrk before the throughput runs, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  [ ${#foreign[@]} = 0 ] || echo "- **warning: another benchmark (wrk/criterion) ran during: ${foreign[*]}**"
  echo "- parameters: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, median of $ROUNDS," \
    "Beacon and nginx alternating; probe test ${PROBE_SECONDS}s; soak ${SOAK_SECONDS}s; history $HISTORY_DAYS days$([ "${QUICK:-0}" = 1 ] && echo "; **QUICK run**")"
  echo
  echo "### Throughput (50 components in 5 groups, 10 s HTTP checks, 90 days of history)"
  echo
  fig matrix "$work/results.tsv" "$work/bytes.tsv"
  echo
  echo "Bytes are the body of one answer (identity, or the encoding named)."
  echo
  echo "### Bytes per route (Beacon's answers)"
  echo
  echo "| route | identity | gzip | br |"
  echo "|---|--:|--:|--:|"
  cat "$work/weights.md"
  echo
  echo "$css_line"
  echo
  echo "### Other figures"
  echo
  echo "- RSS, 50 components: $(mb "$rss_idle") idle (ready, no page asked for yet), $(mb "$rss_warm") after one request of each route and encoding, $(mb "$rss_after_load") after the throughput runs"
  echo "- soak (${SOAK_SECONDS}s of / with $ACCEPT): $soak_line"
  echo "- freshness under load on / ($component-api: 10 s interval, failure threshold 1): $fresh_line"
  echo "- probe cost, $PROBE_CHECKS HTTP checks at 1 s for $(printf '%.1f' "$window") s: $cpu_line"
  echo "- probes: $expected scheduled, $probes_seen reached the target, $r_note," \
    "$dropped_log 'dropping results' log lines; RSS $(mb "$rss_probe") at the end"
  echo "- schedule lag p99 (beacon_probe_schedule_lag_seconds): $lag_metric"
  echo "- start lag at the target (each check's request times against its own best 1 s cadence; a lower bound): $lag_target"
  echo "- history database: $(awk -v n="$hist_results" 'BEGIN { printf "%.2f M", n / 1e6 }') results (100 checks, 60 s, $HISTORY_DAYS days), generated in ${hist_seconds}s;" \
    "$(mb $((db_bytes / 1024))) ($(awk -v b="$db_bytes" -v n="$hist_results" 'BEGIN { printf "%.0f", n ? b / n : 0 }') bytes per result); $(mb $((db_after / 1024))) after the cold-start run"
  echo "- cold start on it ($drop_line): first / answered $first_ms;" \
    "first /components/$component $(awk -v s="$comp_first" 'BEGIN { printf "%.0f ms", s * 1000 }')," \
    "then /components/svc-002 $(awk -v s="$comp_second" 'BEGIN { printf "%.0f ms", s * 1000 }')"
  echo "- write lock during the first ${LOCK_WATCH}s after that start (retention pruning runs then): $(cat "$work/lockwatch.out")"
  [ -z "$prune_line" ] || echo "- retention pruning logged: \`${prune_line}\`"
  echo "- render cost (criterion):"
  echo "$render_lines"
  echo
  echo "Run time: $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s."
} >"$OUT"
cat "$OUT"
