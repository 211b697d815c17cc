#!/usr/bin/env bash
# Pages that expire under load: does the cache keep renders bounded and latency near a hit's?
#
# Starts the demo jar twice on loopback with the same set of pages:
#   1. baseline: long lifetimes, so every request is a hit: the latency a hit costs (same load,
#      same duration, after the same 5 s warm-up);
#   2. stampede: a 5 s lifetime and a 30 s stale-while-revalidate window, under the same load for
#      the whole run, so each page expires again and again while many requests want it.
# and reports, for the stampede run: error responses (must be 0), origin renders (misses plus
# refreshes, from the cache's stats; must stay near keys x expiries), and latency percentiles next
# to the baseline's and to the render time of the pages (150-300 ms).
#
# Usage: demo-webapp/bench/stampede.sh [duration] [connections] [threads]   (defaults: 60s 32 2)
#        PAGES="/wiki/Home /go/x" demo-webapp/bench/stampede.sh ...           (another set of pages)
# Needs the built jar (mvn -B -pl demo-webapp -am package -DskipTests) and wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-60s}
CONNECTIONS=${2:-32}
THREADS=${3:-2}
PORT=${PORT:-18081}
JAR=target/pagecache-demo.jar
BASE="http://127.0.0.1:$PORT"
if [ -n "${PAGES:-}" ]; then read -r -a PATHS <<< "$PAGES"; else
  PATHS=("/" "/wiki/Home" "/wiki/Caching" "/wiki/CacheStatus" "/wiki/Sandbox" "/go/x" "/go/rfc9111"); fi
TTL_SECONDS=5

[ -f "$JAR" ] || { echo "stampede.sh: $JAR is missing; build it: mvn -B -pl demo-webapp -am package -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { echo "stampede.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }

WORK=$(mktemp -d)
SERVER=""
cleanup() { [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; }; rm -rf "$WORK"; }
trap cleanup EXIT

{
  echo 'paths = {'
  for p in "${PATHS[@]}"; do echo "  \"$p\","; done
  echo '}'
  cat <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
LUA
} > "$WORK/paths.lua"

rules() { # $1: ttl, $2: stale-while-revalidate
  cat <<CONF
rules = [
  { path = "/", ttl = $1, staleWhileRevalidate = $2 }
  { path = "/wiki/*", ttl = $1, staleWhileRevalidate = $2 }
  { path = "/go/*", ttl = $1, staleWhileRevalidate = $2 }
  { path = "/pagecache/*", cache = false }
]
CONF
}

start() { # $1: rules file
  : > "$WORK/server.log"
  java -jar "$JAR" --host 127.0.0.1 --port "$PORT" --cache-size 256MiB --rules "$1" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do
    grep -q "pagecache demo at" "$WORK/server.log" && return 0
    kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "the demo did not start" >&2; exit 1
}

stop() {
  kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; SERVER=""
}

stat() { # $1: json, $2: field
  echo "$1" | grep -o "\"$2\":[0-9]*" | head -1 | cut -d: -f2
}

echo "== baseline: long lifetimes, every request a hit"
rules 10m 0s > "$WORK/long.conf"
start "$WORK/long.conf"
for p in "${PATHS[@]}"; do curl -s -o /dev/null "$BASE$p"; done
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$WORK/paths.lua" "$BASE" > /dev/null # JIT warm-up
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/paths.lua" "$BASE" | tee "$WORK/baseline.txt" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx"
stop

echo "== stampede: ${TTL_SECONDS}s lifetime, 30s stale-while-revalidate, $DURATION"
rules "${TTL_SECONDS}s" 30s > "$WORK/short.conf"
start "$WORK/short.conf"
for p in "${PATHS[@]}"; do curl -s -o /dev/null "$BASE$p"; done
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s "$WORK/paths.lua" "$BASE" > /dev/null # JIT warm-up, first expiries
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/paths.lua" "$BASE" | tee "$WORK/stampede.txt" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx|Socket errors"
STATS=$(curl -s "$BASE/pagecache/stats")
stop

seconds=${DURATION%s}
renders=$(( $(stat "$STATS" misses) + $(stat "$STATS" refreshes) ))
bound=$(( ${#PATHS[@]} * (seconds / TTL_SECONDS + 1) ))
errors=$(grep -o "Non-2xx or 3xx responses: [0-9]*" "$WORK/stampede.txt" | grep -o "[0-9]*$" || echo 0)
echo "== result"
echo "error responses: $errors"
echo "origin renders: $renders (misses $(stat "$STATS" misses), refreshes $(stat "$STATS" refreshes)); keys x expiries = $bound"
echo "stale served: $(stat "$STATS" staleServed), coalesced waits: $(stat "$STATS" coalescedWaits), hits: $(stat "$STATS" hits)"
echo "p99 baseline (all hits): $(grep '99%' "$WORK/baseline.txt" | awk '{print $2}'), p99 stampede: $(grep '99%' "$WORK/stampede.txt" | awk '{print $2}'), render time 150-300 ms"
