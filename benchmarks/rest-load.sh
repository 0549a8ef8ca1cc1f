#!/usr/bin/env bash
# REST load benchmark of the re-ID service (docs/benchmarks-service.md): a 100k-entry gallery seeded
# straight into the service's PostgreSQL, then wrk on loopback against POST /api/v1/search.
#   ENTRIES=100000 DURATION=30s CONNECTIONS="1 4 16" RERANK_CONNECTIONS=4 benchmarks/rest-load.sh
# A gallery in several segments, searched with 1 and then 2 threads per search (one restart each):
#   SERVICE_ARGS="--reid.index.max-segment-mb=16" SEARCH_THREADS="1 2" RERANK_CONNECTIONS= benchmarks/rest-load.sh
# Steps: install wrk if missing; start the service on a fresh data dir (schema, bundled model as
# registry id 1) and seed the gallery over JDBC (binary COPY) while it idles; restart it (the index is
# rebuilt from PostgreSQL: HNSW above reid.index.exact-threshold) and time that; run wrk at each
# connection count (2 threads, 1 for 1 connection) and once with rerank=true; after each run print the service's own
# reid_search_latency_seconds and reid_embed_batch_size (micro-batching) over that run.
set -euo pipefail
cd "$(dirname "$0")/.."
ENTRIES=${ENTRIES:-100000}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-"1 4 16"}
RERANK_CONNECTIONS=${RERANK_CONNECTIONS-4}      # empty: no rerank run
SEARCH_THREADS=${SEARCH_THREADS:-1}             # reid.index.search-threads, one service start each
SERVICE_ARGS=${SERVICE_ARGS:-}                  # more service options for every start
WORK=${WORK:-/tmp/reid-rest-load}
PORT=${PORT:-18090}
PG_PORT=${PG_PORT:-54329}
export API_KEY=${API_KEY:-bench-key}
SERVICE_JAR=service/target/service-exec.jar
BENCH_JAR=benchmarks/target/benchmarks.jar
BASE=http://127.0.0.1:$PORT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ -f "$SERVICE_JAR" ] && [ -f "$BENCH_JAR" ] || ./mvnw -B -q -o -pl benchmarks -am package -DskipTests
echo "machine: $(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB"
echo "load before: $(uptime)"

rm -rf "$WORK" && mkdir -p "$WORK"
SERVICE_PID=
start_service() { # $1: log name; waits for readiness, prints seconds to ready
  local t0=$(date +%s.%N)
  OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967295}" REID_ADMIN_KEY=$API_KEY java --add-modules jdk.incubator.vector -Dai.djl.offline=true -jar "$SERVICE_JAR" \
    --server.port="$PORT" --reid.data-dir="$WORK/data" --reid.embedded-postgres.port="$PG_PORT" \
    --reid.demo.seed=false "${@:2}" > "$WORK/$1.log" 2>&1 &
  SERVICE_PID=$!
  until curl -sf "$BASE/actuator/health/readiness" >/dev/null; do
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
      # on a loaded machine the embedded PostgreSQL can miss its 10 s start timeout: try again
      grep -q 'embedded PostgreSQL could not start' "$WORK/$1.log" && [ "${RETRIED:-0}" -lt 2 ] \
        && { echo "embedded PostgreSQL start timed out; retrying"; RETRIED=$((${RETRIED:-0} + 1)) start_service "$@"; return; }
      echo "service died, see $WORK/$1.log"; tail -30 "$WORK/$1.log"; exit 1
    fi
    sleep 1
  done
  echo "service ready after $(echo "$(date +%s.%N) - $t0" | bc) s ($1)"
}
stop_service() { kill "$SERVICE_PID"; wait "$SERVICE_PID" || true; SERVICE_PID=; }
trap '[ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null; true' EXIT

# shellcheck disable=SC2086 # SERVICE_ARGS is a list of options
start_service first-start $SERVICE_ARGS
# The embedded PostgreSQL lives and dies with the service, so the gallery is seeded while it idles
# (no demo gallery, nothing indexed) and the restart below rebuilds the index from PostgreSQL.
java -cp "$BENCH_JAR" org.reid.benchmarks.load.GallerySeeder \
  "jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" models/reid-demo-small-1.zip "$WORK/crops" "$ENTRIES" 2>&1 \
  | grep -v -e '^SLF4J' -e '^\['
stop_service

export QUERY_DIR=$WORK/crops/query
scrape() { curl -sf -H "X-API-Key: $API_KEY" "$BASE/actuator/prometheus" > "$1"; }
run_wrk() { # $1: connections, $2: rerank
  echo "--- wrk: $1 connection(s), rerank=$2, $DURATION (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  scrape "$WORK/before.prom"
  RERANK=$2 wrk -t"$(( $1 < 2 ? $1 : 2 ))" -c"$1" -d"$DURATION" --timeout 10s -s benchmarks/search.lua "$BASE" | sed -n '/^requests=/,$p'
  scrape "$WORK/after.prom"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  java -cp "$BENCH_JAR" org.reid.benchmarks.load.PrometheusDelta "$WORK/before.prom" "$WORK/after.prom" \
    reid_search_latency_seconds reid_embed_batch_size reid_embed_latency_seconds reid_index_query_latency_seconds
}
for threads in $SEARCH_THREADS; do
  # the first of these starts rebuilds the index from PostgreSQL; the others reopen it
  # shellcheck disable=SC2086
  start_service "second-start-st$threads" $SERVICE_ARGS --reid.index.search-threads="$threads"
  echo "=== reid.index.search-threads=$threads ${SERVICE_ARGS:+($SERVICE_ARGS)}"
  grep -h -e 'rebuil' -e 'compact' "$WORK/second-start-st$threads.log" | sed 's/^.*INFO [0-9]* --- //' || true
  curl -sf -H "X-API-Key: $API_KEY" "$BASE/api/v1/identities?size=1" | jq -c '{identities: .totalElements}'
  echo "index segments (Lucene .si files under the data dir): $(find "$WORK/data" -name '*.si' | wc -l)"
  # warm-up: JIT, first forward passes, index pages
  RERANK=false wrk -t1 -c2 -d10s --timeout 10s -s benchmarks/search.lua "$BASE" > /dev/null
  for c in $CONNECTIONS; do
    run_wrk "$c" false
  done
  [ -z "$RERANK_CONNECTIONS" ] || run_wrk "$RERANK_CONNECTIONS" true
  echo "one response: $(curl -sf -H "X-API-Key: $API_KEY" -F image=@"$(ls "$QUERY_DIR"/*.jpg | head -1)" -F topK=3 \
    "$BASE/api/v1/search" | jq -c '{unknown: .unknown, top: [.identities[] | {label: .label, score: .score, matches: .matches}], timings: .timings}')"
  stop_service
done
echo "load after: $(uptime)"
