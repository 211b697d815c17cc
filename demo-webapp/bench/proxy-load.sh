#!/usr/bin/env bash
# The reverse-proxy mode under many concurrent clients, against the origin alone in the same run.
#
# An origin (bench/SlowOrigin.java) whose pages take 1 s and which holds no thread while they do,
# so it alone answers thousands of concurrent requests; then, for 600 and for 2,000 connections:
#   1. wrk against the origin's uncacheable page /slow (Cache-Control: no-store), directly;
#   2. the same through a proxy whose rules leave /slow out: the cache passes it by;
#   3. the same through the proxy with the built-in rules (every GET may be cached, as the origin allows);
# and last, wrk through the built-in-rules proxy on /cacheable (max-age=300), with the origin's
# count of requests for it before and after. For each run: requests/s, its ratio to the origin's
# own in the same run, non-2xx responses, socket errors, and the peak threads of the proxy's JVM
# (Threads: of /proc/<pid>/status, sampled every 200 ms).
#
# Each measured run follows an unmeasured one of the same kind ($WARMUP, default 10s): the JIT
# compiles the proxy's paths and its client opens its connections to the origin; a cold JVM
# measured at once shows a third of its throughput.
#
# Usage: demo-webapp/bench/proxy-load.sh [duration]       (default 10s per run)
# Needs the built jar (mvn -B -pl demo-webapp -am package -DskipTests), wrk, and a JDK 17+ `java`.
# Every process binds 127.0.0.1 (ports $ORIGIN_PORT, $PROXY_PORT, $PASS_PORT; defaults 19101-19103)
# and is stopped, by its PID, when the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-10s}
WARMUP=${WARMUP:-10s}
ORIGIN_PORT=${ORIGIN_PORT:-19101}
PROXY_PORT=${PROXY_PORT:-19102}
PASS_PORT=${PASS_PORT:-19103}
DELAY_MS=${DELAY_MS:-1000}
JAR=target/pagecache-demo.jar
WRK_THREADS=${WRK_THREADS:-2}

[ -f "$JAR" ] || { echo "proxy-load.sh: $JAR is missing; build it: mvn -B -pl demo-webapp -am package -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { echo "proxy-load.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }

# 2,000 connections take 2,000 descriptors in wrk and in the origin, and 4,000 in the proxy
# (client and origin side): raise the limit this shell and its children get, as far as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 8192 ]; then
  echo "proxy-load.sh: ulimit -n is $(ulimit -n); 2,000 connections need about 8192 (raise the hard limit)" >&2
  exit 1
fi

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

await_line() { # file, text, pid
  for _ in $(seq 300); do
    grep -q "$2" "$1" && return 0
    kill -0 "$3" 2>/dev/null || { cat "$1" >&2; exit 1; }
    sleep 0.1
  done
  echo "proxy-load.sh: no '$2' in $1" >&2; cat "$1" >&2; exit 1
}

java bench/SlowOrigin.java "$ORIGIN_PORT" "$DELAY_MS" >"$WORK/origin.log" 2>&1 &
ORIGIN=$!; PIDS+=("$ORIGIN")
await_line "$WORK/origin.log" "slow origin at" "$ORIGIN"

java -jar "$JAR" --port "$PROXY_PORT" --proxy-to "http://127.0.0.1:$ORIGIN_PORT" >"$WORK/proxy.log" 2>&1 &
PROXY=$!; PIDS+=("$PROXY")
echo 'rules = [ { path = "/cacheable", ttl = origin } ]' >"$WORK/pass-slow.conf"
java -jar "$JAR" --port "$PASS_PORT" --proxy-to "http://127.0.0.1:$ORIGIN_PORT" --rules "$WORK/pass-slow.conf" \
  >"$WORK/pass.log" 2>&1 &
PASS=$!; PIDS+=("$PASS")
await_line "$WORK/proxy.log" "pagecache demo at" "$PROXY"
await_line "$WORK/pass.log" "pagecache demo at" "$PASS"

echo "== $(date -u +%FT%TZ)  $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), ulimit -n $(ulimit -n)," \
  "wrk -t$WRK_THREADS -d$DURATION --timeout 10s after $WARMUP unmeasured, origin delay ${DELAY_MS} ms"
echo "proxy (built-in rules):  $(grep -o 'limits: .*' "$WORK/proxy.log" | head -1)"
echo "proxy (/slow not cached): pid $PASS, same limits"
echo "Cache-Status of /slow through each: $(curl -s -o /dev/null -D - "http://127.0.0.1:$PROXY_PORT/slow" | tr -d '\r' | grep -i '^cache-status' || true)" \
  "| $(curl -s -o /dev/null -D - "http://127.0.0.1:$PASS_PORT/slow" | tr -d '\r' | grep -i '^cache-status' || true)"

# Peak Threads: of /proc/<pid>/status while the command runs.
peak_threads_during() { # pid, command...
  local pid=$1; shift
  local peak_file="$WORK/peak.$pid"
  echo 0 >"$peak_file"
  touch "$WORK/sampling"
  ( peak=0
    while [ -e "$WORK/sampling" ]; do
      now=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${now:-0}" -gt "$peak" ] && peak=$now && echo "$peak" >"$peak_file"
      sleep 0.2
    done ) &
  local sampler=$!
  "$@"
  rm -f "$WORK/sampling"
  wait "$sampler" 2>/dev/null || true
  PEAK=$(cat "$peak_file")
}

# CPU ticks (1/100 s) a process has used, and the machine's busy and idle ticks: on a small
# machine that runs wrk, the origin and the proxy together, the CPU is the limit to read first.
process_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
machine_idle_ticks() { awk '/^cpu / {print $5 + $6}' /proc/stat; }
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat; }

# One wrk run; sets RPS and prints one line. label, connections, url, pid to sample (or -)
run() {
  local label=$1 connections=$2 url=$3 pid=$4
  local out="$WORK/wrk.out"
  local ticks_before=0 idle_before total_before
  if [ "$WARMUP" != 0s ]; then
    wrk -t"$WRK_THREADS" -c"$connections" -d"$WARMUP" --timeout 10s "$url" >/dev/null 2>&1 || true
    settle
  fi
  [ "$pid" = - ] || ticks_before=$(process_ticks "$pid")
  idle_before=$(machine_idle_ticks); total_before=$(machine_ticks)
  PEAK=-
  if [ "$pid" = - ]; then
    wrk -t"$WRK_THREADS" -c"$connections" -d"$DURATION" --timeout 10s "$url" >"$out" 2>&1 || true
  else
    peak_threads_during "$pid" sh -c "wrk -t$WRK_THREADS -c$connections -d$DURATION --timeout 10s '$url' >'$out' 2>&1 || true"
  fi
  RPS=$(awk '/^Requests\/sec:/ {print $2}' "$out"); RPS=${RPS:-0}
  settle
  local total non2xx errors
  total=$(awk '/requests in/ {print $1}' "$out")
  non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' "$out")
  errors=$(grep -o 'Socket errors:.*' "$out" | sed 's/Socket errors: //' || true)
  local idle cpu_per_request=-
  idle=$(awk -v i=$(( $(machine_idle_ticks) - idle_before )) -v t=$(( $(machine_ticks) - total_before )) \
    'BEGIN { printf "%d%%", (t > 0 ? 100 * i / t : 0) }')
  if [ "$pid" != - ] && [ "${total:-0}" -gt 0 ]; then
    cpu_per_request=$(awk -v t=$(( $(process_ticks "$pid") - ticks_before )) -v n="$total" \
      'BEGIN { printf "%.2fms", 10 * t / n }')
  fi
  printf '%-30s c=%-5s %8s req/s  requests %-6s non-2xx %-5s socket errors: %-28s peak threads %-4s proxy CPU/request %-7s machine idle %s\n' \
    "$label" "$connections" "$RPS" "${total:-0}" "${non2xx:-0}" "${errors:-none}" "$PEAK" "$cpu_per_request" "$idle"
}

# Requests a run leaves behind (a proxy still working off what wrk sent before it stopped) would
# be measured with the next run: wait until the origin has answered everything it received.
settle() {
  for _ in $(seq 600); do
    [ "$(curl -s "http://127.0.0.1:$ORIGIN_PORT/count" | awk '$1 == "in-flight" {print $2}')" = 0 ] && return 0
    sleep 0.1
  done
  echo "proxy-load.sh: the origin still has requests in flight after 60 s" >&2
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) { printf "%.2fx", a / b } else { print "n/a" } }'; }

for connections in 600 2000; do
  echo
  echo "-- $connections connections, uncacheable 1 s page /slow"
  run "origin alone" "$connections" "http://127.0.0.1:$ORIGIN_PORT/slow" -
  ORIGIN_RPS=$RPS
  run "proxy, /slow passes the cache" "$connections" "http://127.0.0.1:$PASS_PORT/slow" "$PASS"
  echo "                                    ratio to the origin alone: $(ratio "$RPS" "$ORIGIN_RPS")"
  run "proxy, built-in rules" "$connections" "http://127.0.0.1:$PROXY_PORT/slow" "$PROXY"
  echo "                                    ratio to the origin alone: $(ratio "$RPS" "$ORIGIN_RPS")"
done

echo
echo "-- cacheable 1 s page /cacheable (max-age=300) through the proxy with the built-in rules"
count() { curl -s "http://127.0.0.1:$ORIGIN_PORT/count" | awk '$1 == "/cacheable" {print $2}'; }
for connections in 600 2000; do
  before=$(count); before=${before:-0}
  WARMUP=0s run "proxy, /cacheable" "$connections" "http://127.0.0.1:$PROXY_PORT/cacheable?c=$connections" "$PROXY"
  after=$(count)
  echo "                                    origin requests for it during the run: $(( ${after:-0} - before ))"
done
