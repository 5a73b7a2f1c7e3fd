#!/usr/bin/env bash
# bench/footprint.sh: the agent's RSS and CPU side by side, in the same run, with
#   - floor:          a bare Java loop (bench/footprint/FloorLoop.java) reading four /proc files
#                     and POSTing them, with the JVM flags issue 9 gives for the floor,
#   - node_exporter:  scraped by curl at the same interval,
#   - glances:        RESTful export at the same interval,
#   - servmon agent:  reporting to a real hub.
# Prints one line per process plus its ratio to the floor (RSS and CPU).
#
# Usage: bench/footprint.sh [--interval S] [--seconds S] [--warmup S] [--java PATH] [--no-peers]
#   --interval  collection/report/scrape interval in seconds (default 10)
#   --seconds   measuring window (default 60; the issue asks for >= 60)
#   --warmup    seconds to let everything settle before measuring (default 20)
#   --java      java binary for the floor and the agent (default: java on PATH)
#   --no-peers   skip node_exporter and glances (e.g. where they cannot be installed)
# Diagnostics: SERVMON_BENCH_AGENT_FLAGS adds JVM flags to the agent only (e.g.
# "-XX:NativeMemoryTracking=summary -Xlog:class+load:file=/tmp/classes.log"); with NMT on, the
# agent's native memory summary is saved next to the measurements.
# Needs ../shared/peers (or SERVMON_PEERS) for the peer start scripts and measure.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
interval=10 seconds=60 warmup=20 java=java peers_on=1
while [ $# -gt 0 ]; do
  case "$1" in
    --interval) interval=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --java) java=$2; shift 2 ;;
    --no-peers) peers_on=0; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "footprint.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
peers="${SERVMON_PEERS:-$here/../shared/peers}"
[ -x "$peers/measure.sh" ] || { echo "footprint.sh: no $peers/measure.sh; set SERVMON_PEERS to the peers directory" >&2; exit 2; }

# The JVM floor's flags, as issue 9 defines the floor.
floor_flags=(-XX:+UseSerialGC -Xmx16m -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1
             -XX:ReservedCodeCacheSize=8m -XX:-UsePerfData)
# The agent's production flags and environment: the ones the launcher and the systemd unit use
# (agent/src/main/java/dev/servmon/agent/install/JvmFlags.java; CliTest checks).
agent_flags=(-XX:+UseSerialGC -Xms4m -Xmx16m -Xmn1m -Xss256k -Xshare:off -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=8m -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockDiagnosticVMOptions -XX:GuaranteedSafepointInterval=0 -XX:AsyncDeflationInterval=10000)
agent_env=(MALLOC_ARENA_MAX=1)

work=/tmp/servmon-footprint
rm -rf "$work"; mkdir -p "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ "$peers_on" = 1 ] && "$peers/stop-peers.sh" >/dev/null 2>&1 || true
}
trap cleanup EXIT

jar="${SERVMON_BENCH_HUB_JAR:-$here/app/target/servmon.jar}"
agent_jar="${SERVMON_BENCH_AGENT_JAR:-$here/agent/target/servmon-agent.jar}"
if [ ! -f "$jar" ] || [ ! -f "$agent_jar" ]; then
  echo "footprint.sh: building jars..." >&2
  (cd "$here" && ./mvnw -B -q package -DskipTests) >&2
fi

echo "footprint.sh: $("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'), interval ${interval}s, window ${seconds}s after ${warmup}s warm-up" >&2

# Hub (not measured): a real one, so the agent does its real work (HTTP, gzip, acks).
password="bench-$RANDOM$RANDOM"
SERVMON_ADMIN_PASSWORD="$password" java -XX:+UseSerialGC -jar "$jar" hub --port 18480 --ingest-port 18481 \
  --data "$work/hub" >"$work/hub.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:18480/ 2>/dev/null && break; sleep 0.2; done
csrf=$(curl -fsS -c "$work/cookies" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" http://127.0.0.1:18480/api/v1/session \
  | sed -n 's/.*"csrfToken":"\([^"]*\)".*/\1/p')
key=$(curl -fsS -b "$work/cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"name":"footprint"}' http://127.0.0.1:18480/api/v1/hosts | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
[ -n "$key" ] || { echo "footprint.sh: could not register a host, see $work/hub.log" >&2; exit 1; }

# A sink for the floor loop and glances.
sink_pid=$("$peers/start-post-sink.sh" 16789)

# Floor.
mkdir -p "$work/floor"
javac -d "$work/floor" "$here/bench/footprint/FloorLoop.java"
"$java" "${floor_flags[@]}" -cp "$work/floor" FloorLoop http://127.0.0.1:16789/floor "$interval" \
  >"$work/floor.log" 2>&1 &
floor_pid=$!; pids+=($floor_pid)

# servmon agent.
if [ -f "$agent_jar" ]; then
  agent_cmd=("$java" "${agent_flags[@]}" -jar "$agent_jar")
else
  agent_cmd=("$java" "${agent_flags[@]}" -jar "$jar" agent)
fi
env "${agent_env[@]}" SERVMON_LOG_LEVEL=warn "${agent_cmd[@]:0:1}" ${SERVMON_BENCH_AGENT_FLAGS:-} "${agent_cmd[@]:1}" --hub http://127.0.0.1:18481 --key "$key" --interval "$interval" \
  --state-dir "$work/agent" >"$work/agent.log" 2>&1 &
agent_pid=$!; pids+=($agent_pid)

names=(floor servmon-agent); targets=($floor_pid $agent_pid)
if [ "$peers_on" = 1 ]; then
  ne_pid=$("$peers/start-node-exporter.sh" 19100)
  ( while sleep "$interval"; do curl -fsS -o /dev/null http://127.0.0.1:19100/metrics || true; done ) &
  pids+=($!)
  # Debian's glances runs on /usr/bin/python3, which may lack requests even when a PATH python has it.
  if ! /usr/bin/python3 -c 'import requests' 2>/dev/null; then
    apt-get install -y --no-install-recommends python3-requests >/dev/null 2>&1 \
      || { echo "footprint.sh: glances' RESTful export needs python3-requests (apt-get install python3-requests)" >&2; exit 1; }
  fi
  gl_pid=$("$peers/start-glances-restful.sh" http://127.0.0.1:16789/glances "$interval")
  names+=(node_exporter glances); targets+=($ne_pid $gl_pid)
fi

sleep "$warmup"
for i in "${!targets[@]}"; do
  "$peers/measure.sh" "${targets[$i]}" "$seconds" 1 >"$work/measure.${names[$i]}" 2>&1 &
done
wait_for=$(( seconds + 5 ))
for _ in $(seq "$wait_for"); do
  done_all=1
  for n in "${names[@]}"; do grep -q cpu_pct_1core "$work/measure.$n" 2>/dev/null || done_all=0; done
  [ "$done_all" = 1 ] && break
  sleep 1
done

state=$(curl -fsS -b "$work/cookies" http://127.0.0.1:18480/api/v1/hosts | sed -n 's/.*"status":"\([A-Z]*\)".*/\1/p')
echo "footprint.sh: the agent's host is ${state:-unknown} on the hub (must be ON for the numbers to count)" >&2
case "${SERVMON_BENCH_AGENT_FLAGS:-}" in
  *NativeMemoryTracking*) jcmd "$agent_pid" VM.native_memory summary >"$work/agent.nmt" 2>&1 || true ;;
esac
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" "$work/measure.$2"; }
floor_rss=$(field rss_kb_avg floor); floor_cpu=$(field cpu_pct_1core floor)
printf '%-14s %12s %10s %14s %10s\n' process rss_mb_avg rss/floor cpu_%_1core cpu/floor
for n in "${names[@]}"; do
  rss=$(field rss_kb_avg "$n"); cpu=$(field cpu_pct_1core "$n")
  if [ -z "$rss" ]; then echo "$n: no measurement ($(cat "$work/measure.$n"))"; continue; fi
  awk -v n="$n" -v r="$rss" -v c="$cpu" -v fr="$floor_rss" -v fc="$floor_cpu" 'BEGIN{
    printf "%-14s %12.1f %10.2f %14.3f %10s\n", n, r/1024, r/fr, c, (fc > 0 ? sprintf("%.2f", c/fc) : "n/a") }'
done
echo "raw measure.sh output: $work/measure.*; agent log: $work/agent.log" >&2
