#!/usr/bin/env bash
# What a stale-while-revalidate refresh holds, for a page written synchronously and for one written
# asynchronously. 100 pages of each kind (one key each) are cached with a 2 s lifetime, left to
# expire, then asked for by 100 clients at once: each client gets the stale copy at once, and its
# request refreshes the page. Reported per kind: the slowest client's time to its whole answer, and
# how many server threads are busy in pagecache's or the demo's code a second into the
# refreshes (jstack): a synchronous refresh holds its request thread, an asynchronous one does not.
#   synchronous:  /links?page=1 with 100 different `user` cookies (1.5 s to render, on the request thread)
#   asynchronous: /trending?k=N for 100 values of N (1 s, written from a timer's thread after startAsync)
#
# Usage: demo-webapp/bench/stale-refresh.sh          Needs the built jar, curl 7.84+ and jstack.
# The server binds 127.0.0.1:$PORT (default 18090) and is stopped by its PID when the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18090}
JAR=target/pagecache-demo.jar
[ -f "$JAR" ] || { echo "stale-refresh.sh: $JAR is missing; build it: mvn -B -pl demo-webapp -am package -DskipTests" >&2; exit 1; }

WORK=$(mktemp -d)
SERVER=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

cat > "$WORK/rules.conf" <<'EOF'
rules = [
  { path = "/trending", ttl = 2s, staleWhileRevalidate = 10m }
  { path = "/links", ttl = 2s, staleWhileRevalidate = 10m, query { only = [page] }, keyCookies = [user], allowPrivate = true }
]
EOF
java -jar "$JAR" --port "$PORT" --rules "$WORK/rules.conf" --max-requests 1000 > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/trending" && break; sleep 0.2; done

# Threads of the server running pagecache's or the demo's code: a request thread rendering a refresh.
busy_threads() {
  jstack "$SERVER" | awk '/^"/ {if (inside) n++; inside=0} /at dev\.pagecache\./ {inside=1} END {if (inside) n++; print n+0}'
}

# kind, then a command that prints the curl arguments of request i
measure() {
  local kind=$1 args=$2
  seq 100 | xargs -P 100 -I__N__ sh -c "curl -s -o /dev/null ${args//%s/__N__}"   # cache them
  sleep 2.5                                                                       # let them expire
  seq 100 | xargs -P 100 -I__N__ sh -c "curl -s -o /dev/null -w '%{time_total} %header{cache-status}\n' ${args//%s/__N__}" > "$WORK/times" &
  local burst=$!
  sleep 1                                                                         # the refreshes run
  local busy
  busy=$(busy_threads)
  wait "$burst"
  sleep 1.5                                                                       # the refreshes end
  local slowest stale
  slowest=$(sort -n "$WORK/times" | tail -1 | cut -d' ' -f1)
  stale=$(grep -c 'detail=stale' "$WORK/times" || true)
  printf '%-13s 100 clients: %3d got the stale copy, slowest whole answer %5.0f ms; threads busy 1 s later: %d\n' \
    "$kind" "$stale" "$(awk -v s="$slowest" 'BEGIN {print s * 1000}')" "$busy"
}

echo "== $(date -u +%FT%TZ)  $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure "synchronous" "-H 'Cookie: user=u%s' http://127.0.0.1:$PORT/links?page=1"
measure "asynchronous" "http://127.0.0.1:$PORT/trending?k=%s"
