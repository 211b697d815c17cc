#!/usr/bin/env bash
# What the cache buys on the demo's two slow pages, measured on loopback.
#
# For / (the ~500 KB home page, 300 ms to build) and /links?page=1 (per user, 1.5 s to build):
#   1. the first, uncached request and the one right after it, timed with curl;
#   2. wrk against the cached page (every request a hit);
#   3. wrk against the same page with the cache bypassed: the requests carry an Authorization
#      header, which makes pagecache skip the cache (RFC 9111 §3.5) while the demo pages ignore it,
#      so every request is rendered.
#
# Usage: demo-webapp/bench/load.sh [duration] [connections] [threads]     (defaults: 10s 16 2)
# Needs the built jar (mvn -B -pl demo-webapp -am package -DskipTests) and wrk (apt-get install wrk).
# The server listens on 127.0.0.1:$PORT (default 18080) and is stopped when the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-10s}
CONNECTIONS=${2:-16}
THREADS=${3:-2}
PORT=${PORT:-18080}
JAR=target/pagecache-demo.jar
BASE="http://127.0.0.1:$PORT"
BYPASS="Authorization: Basic YmVuY2g6YmVuY2g="

[ -f "$JAR" ] || { echo "load.sh: $JAR is missing; build it: mvn -B -pl demo-webapp -am package -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { echo "load.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }

LOG=$(mktemp)
java -jar "$JAR" --host 127.0.0.1 --port "$PORT" --cache-size 256MiB >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 100); do
  grep -q "pagecache demo at" "$LOG" && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
sed -n 1p "$LOG"

timed() { # prints: <seconds> <Cache-Status>
  curl -s -o /dev/null -D - -w 'TIME %{time_total}\n' "$@" | awk -F': ' '
    tolower($1) == "cache-status" { status = $2; sub(/\r$/, "", status) }
    /^TIME / { split($0, field, " "); time = field[2] }
    END { printf "%8.1f ms  %s\n", time * 1000, status }'
}

load() { # label, wrk arguments...
  local label=$1
  shift
  echo "--- $label: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $*"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency "$@" |
    grep -E "Requests/sec|Transfer/sec|^ +(50|90|99)%|Latency  |requests in|Non-2xx|Socket errors"
}

echo
echo "== / (home page, ~500 KB)"
echo -n "first request:  "; timed "$BASE/"
echo -n "second request: "; timed "$BASE/"
wrk -t1 -c4 -d2s "$BASE/" >/dev/null # warm-up
load "cached" "$BASE/"
load "cache bypassed (every request rendered)" -H "$BYPASS" "$BASE/"

echo
echo "== /links?page=1 (ranked for user alice)"
echo -n "first request:  "; timed -H "Cookie: user=alice" "$BASE/links?page=1"
echo -n "second request: "; timed -H "Cookie: user=alice" "$BASE/links?page=1"
wrk -t1 -c4 -d2s -H "Cookie: user=alice" "$BASE/links?page=1" >/dev/null # warm-up
load "cached" -H "Cookie: user=alice" "$BASE/links?page=1"
load "cache bypassed (every request rendered)" -H "Cookie: user=alice" -H "$BYPASS" "$BASE/links?page=1"

echo
echo "== stats after the run"
curl -s "$BASE/pagecache/stats"
echo
