#!/usr/bin/env bash
# The overview at fleet size in real chromium: time to first data (cards and table) and long
# tasks while every host reports every 10 s, next to the same page with one host (same run).
#   bench/overview.sh [HOSTS=1000] [LIVE_SECONDS=60]
# With TRACE_DIR=/some/dir it also records a Chrome trace of each live phase there; bench/longtasks.py
# TRACE.json then says what the long tasks were made of (script, style, layout, paint, GC).
# Needs chromium (apt-get install chromium) like the browser tests. Takes about 4 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
hosts="${1:-1000}"
live="${2:-60}"
echo "bench/overview.sh: building and running OverviewScaleBench with $hosts hosts, ${live} s live…" >&2
./mvnw -o -q -B -pl app -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=OverviewScaleBench -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dservmon.bench.hosts="$hosts" -Dservmon.bench.liveSeconds="$live" -Dservmon.bench.traceDir="${TRACE_DIR:-}" >&2
grep -E "^(servmon overview|first data|  of which|  all |live,)" app/target/failsafe-reports/dev.servmon.app.OverviewScaleBench-output.txt
