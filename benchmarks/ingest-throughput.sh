#!/usr/bin/env bash
# Ingestion throughput vs pure forward throughput (docs/benchmarks-service.md; goal: ingestion >=
# 0.8x of pure forward). Renders CROPS synthetic crops (Market-1501 names), measures the model's pure
# forward throughput on them (batches of 32, like reid.ingest.chunk-size), then for each chunk size
# in CHUNK_SIZES starts the service on a fresh data dir and submits the crops as one zip batch,
# polls the batch until DONE and reports crops/s, the service's own forward time (reid_embed_latency
# path=ingest) and, from a JFR recording of the service, where the ingestion thread spent its time.
#   CROPS=2000 CHUNK_SIZES="32 128" benchmarks/ingest-throughput.sh
# SERVICE_JARS="a.jar b.jar" times several builds of the service (e.g. before and after a change)
# against the same pure forward pass in one run, alternating; ROUNDS repeats the whole list. The pure
# forward pass runs with the service's OMP_WAIT_POLICY (PASSIVE): with libtorch's spinning default
# its CPU time counted OpenMP workers waiting for a core, which made ingestion look cheaper than it.
set -euo pipefail
cd "$(dirname "$0")/.."
CROPS=${CROPS:-2000}
WARM=${WARM:-500}       # crops of a warm-up batch ingested first (JIT, pools), other than the measured ones
BATCHES=${BATCHES:-1}   # measured batches of CROPS crops each, one after another on one service start:
                        # the JIT keeps compiling for thousands of crops, so later batches are nearer steady state
CHUNK_SIZES=${CHUNK_SIZES:-"32 128"}
# entries already in the gallery before the warm-up batch (0: an empty gallery): seeded once over
# JDBC by GallerySeeder (as in rest-load.sh) into a template data dir, its index built by a restart,
# and copied for each service start. What ingestion costs may grow with the gallery (replica sync
# compares the index with PostgreSQL while batches commit).
GALLERY=${GALLERY:-0}
# 1: a second replica (a follower) runs beside the ingesting one, on its PostgreSQL with its own
# index (a copy of the seeded one), and its JVM's CPU per batch is reported: what it costs another
# replica to keep its index in step while this one ingests (PostgreSQL's CPU then includes its queries)
FOLLOWER=${FOLLOWER:-0}
# with FOLLOWER=1: seconds into each measured batch at which one identity is erased through the
# follower (empty: none). An erasure is no logged chunk, so the follower's next pass compares every id
# while the batch goes on; its sync counters then show whether later passes compare again or replay.
ERASE_AT=${ERASE_AT:-}
# 1: also print the write-ahead log PostgreSQL wrote per crop during each measured batch, by record
# type (benchmarks' WalBytes; pg_walinspect): each crop's bytes reach the log once per stored copy
WAL=${WAL:-0}
SUMMARY_FROM=${SUMMARY_FROM:-2}   # the summary at the end: medians per jar over measured batches from this one on
WORK=${WORK:-/tmp/reid-ingest}
PORT=${PORT:-18091}
PG_PORT=${PG_PORT:-54330}
API_KEY=${API_KEY:-bench-key}
PROFILE=${PROFILE:-1}   # 1: record the service with JFR and print where the ingestion thread spent its time
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:-}   # more JVM options for the service (JIT flags, compilation logs), split on spaces
POLL_S=${POLL_S:-0.2}   # batch status poll interval (each poll lists the pending items: not free)
SERVICE_JAR=service/target/service-exec.jar
SERVICE_JARS=${SERVICE_JARS:-$SERVICE_JAR}
ROUNDS=${ROUNDS:-1}
# the network both sides run: the bundled model (the service's default) unless MODEL names another
# artifact zip, which the service then bootstraps from (e.g. a BoT ResNet-50: its forward pass is
# ~100x the small network's, so the same per-crop overhead weighs a hundredth as much)
MODEL=${MODEL:-models/reid-demo-small-4.zip}
FORWARD_ROUNDS=${FORWARD_ROUNDS:-3}   # the pure forward pass's rounds; the best one counts
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# the service's malloc settings (scripts/run-service.sh), for the pure forward pass too; GLIBC_TUNABLES=
# (empty) measures glibc's defaults, under which the CPU of a batch of 128 varied 3-16 s per 2000 crops
export GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967295}"
BENCH_JAR=${BENCH_JAR:-benchmarks/target/benchmarks.jar}   # a copy lets the build go on during a long run
BASE=http://127.0.0.1:$PORT
# CPU seconds of a process, its live children and its reaped children (utime+stime+cutime+cstime)
cpu_s() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14+$15+$16+$17}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
          echo "scale=2; $t / $(getconf CLK_TCK)" | bc; }
# the service JVM plus its embedded PostgreSQL (postmaster found by its data dir, and its backends)
service_cpu_s() { local pm; pm=$(head -1 "$1/postgres/postmaster.pid")
                  echo "$(cpu_s "$SERVICE_PID") + $(cpu_s "$pm" $(ps -o pid= --ppid "$pm"))" | bc; }
# CPU ticks (utime+stime) of each thread of a process, by thread name with its number dropped
# ("GC Thread#1" -> "GC Thread#"); the fields are counted after the name, which may hold spaces
thread_ticks() { local t c s f; for t in /proc/"$1"/task/*; do
                   { read -r c < "$t/comm" && s=$(< "$t/stat"); } 2>/dev/null || continue
                   read -r -a f <<< "${s##*) }"; printf '%s\t%s\n' "${c//[0-9]/}" $((f[11] + f[12])); done; }
# CPU ticks of the embedded PostgreSQL by process role: each backend (the service's pooled
# connections), walwriter, checkpointer, ...; the postmaster's own line also holds the processes it
# reaped (autovacuum workers, connections that closed)
pg_ticks() { local pm p s f role; pm=$(head -1 "$1/postgres/postmaster.pid")
             for p in "$pm" $(ps -o pid= --ppid "$pm"); do
               # a process may end between the listing and these reads (a connection closing, an autovacuum worker)
               s=$(cat "/proc/$p/stat" 2>/dev/null) && role=$(tr '\0' ' ' 2>/dev/null < "/proc/$p/cmdline") || continue
               read -r -a f <<< "${s##*) }"
               role=$(sed -e 's/^postgres: //' -e 's/ *$//' <<< "$role")
               case "$role" in *"("*")"*) role=backends ;; autovacuum\ worker*) role="autovacuum worker" ;; esac
               if [ "$p" = "$pm" ]; then printf 'postmaster+reaped\t%s\n' $((f[11] + f[12] + f[13] + f[14]))
               else printf '%s\t%s\n' "$role" $((f[11] + f[12])); fi; done; }
# where the JVM's CPU went between two thread_ticks files, by thread name, most first (threads that
# started and ended in between are not listed: they are the rest of the JVM's CPU printed above)
thread_cpu() { awk -F'\t' -v hz="$(getconf CLK_TCK)" 'NR==FNR {b[$1]+=$2; next} {a[$1]+=$2}
                 END {for (k in a) if (a[k]>b[k]) printf "  %-16s\t%6.2f s\n", k, (a[k]-b[k])/hz}' "$1" "$2" \
               | sort -t$'\t' -k2 -rn; }
bench() { java -cp "$BENCH_JAR" "$@" 2>&1 | grep -v -e '^SLF4J' -e '^\[' -e ' WARN ' -e ' INFO '; }

[ -f "$SERVICE_JAR" ] && [ -f "$BENCH_JAR" ] || ./mvnw -B -q -o -pl benchmarks -am package -DskipTests
rm -rf "$WORK" && mkdir -p "$WORK"
exec > >(tee "$WORK/ingest.log") 2>&1   # summarised at the end by ingest_summary.py
echo "machine: $(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB"
echo "load before: $(uptime)"
bench org.reid.benchmarks.load.IngestCrops "$WORK" "$((CROPS * BATCHES))" "$WARM"
(cd "$WORK/crops" && ls ./*.jpg | split -l "$CROPS" -d -a 2 - ../batch-list- \
   && for l in ../batch-list-*; do zip -q -0 "../batch-$((10#${l##*-} + 1)).zip" -@ < "$l"; done)
(cd "$WORK/warm" && zip -q -0 ../warm.zip ./*.jpg)
echo "batch-1.zip: $(du -h "$WORK/batch-1.zip" | cut -f1), $BATCHES of them"

# the pure forward pass in batches of each chunk size (the service's forward batch is its chunk)
declare -A FORWARD FORWARD_CPU
for cs in $CHUNK_SIZES; do
  echo "--- pure forward, batch $cs (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "OMP_WAIT_POLICY=$OMP_WAIT_POLICY GLIBC_TUNABLES=${GLIBC_TUNABLES:-}"
  bench org.reid.benchmarks.load.PureForwardBenchmark "$MODEL" "$WORK/crops" "$cs" "$FORWARD_ROUNDS" | tee "$WORK/forward-$cs.txt"
  FORWARD[$cs]=$(sed -n 's/^forward_crops_per_s=//p' "$WORK/forward-$cs.txt")
  FORWARD_CPU[$cs]=$(sed -n 's/^forward_crops_per_cpu_s=//p' "$WORK/forward-$cs.txt")
done

SERVICE_PID=
FOLLOWER_PID=
trap '[ -n "$FOLLOWER_PID" ] && kill "$FOLLOWER_PID" 2>/dev/null; [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null; true' EXIT
# $1: jar, $2: data dir, $3: log, then more service options; waits until ready (3 tries: on a loaded
# machine the embedded PostgreSQL can miss its 10 s start timeout), sets SERVICE_PID
start_service() {
  local jar=$1 data=$2 log=$3 try jfr; shift 3
  for try in 1 2 3; do
    jfr=()
    [ "$PROFILE" = 1 ] && jfr=(-XX:StartFlightRecording=filename="$WORK/ingest-$cs.jfr",settings=profile,dumponexit=true
                              -XX:FlightRecorderOptions=stackdepth=256)
    # shellcheck disable=SC2086
    REID_ADMIN_KEY=$API_KEY java --add-modules jdk.incubator.vector -Dai.djl.offline=true "${jfr[@]}" $SERVICE_JAVA_OPTS -jar "$jar" \
      --server.port="$PORT" --reid.data-dir="$data" --reid.embedded-postgres.port="$PG_PORT" \
      --reid.demo.seed=false --reid.model.bootstrap="file:$(realpath "$MODEL")" "$@" > "$log" 2>&1 &
    SERVICE_PID=$!
    until curl -sf "$BASE/actuator/health/readiness" >/dev/null || ! kill -0 "$SERVICE_PID" 2>/dev/null; do sleep 1; done
    kill -0 "$SERVICE_PID" 2>/dev/null && return 0
    echo "service start $try failed: $(grep -m1 -o 'embedded PostgreSQL could not start.*' "$log" || tail -1 "$log")"
    SERVICE_PID=
  done
  exit 1
}
stop_service() { kill "$SERVICE_PID"; wait "$SERVICE_PID" || true; SERVICE_PID=; }
# the follower: $1 jar, $2 data dir, $3 log; on the ingesting replica's PostgreSQL, port PORT+1
start_follower() {
  local fport=$((PORT + 1))
  # shellcheck disable=SC2086
  REID_ADMIN_KEY=$API_KEY java --add-modules jdk.incubator.vector -Dai.djl.offline=true $SERVICE_JAVA_OPTS -jar "$1" --server.port="$fport" \
    --reid.data-dir="$2" --spring.datasource.url="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" \
    --spring.datasource.username=postgres --spring.datasource.password= --reid.demo.seed=false > "$3" 2>&1 &
  FOLLOWER_PID=$!
  until curl -sf "http://127.0.0.1:$fport/actuator/health/readiness" >/dev/null || ! kill -0 "$FOLLOWER_PID" 2>/dev/null; do sleep 1; done
  kill -0 "$FOLLOWER_PID" 2>/dev/null || { echo "the follower did not start: $(tail -1 "$3")"; exit 1; }
}
stop_follower() { [ -n "$FOLLOWER_PID" ] || return 0; kill "$FOLLOWER_PID"; wait "$FOLLOWER_PID" || true; FOLLOWER_PID=; }
follower_ways() { curl -sf -H "X-API-Key: $API_KEY" "http://127.0.0.1:$((PORT + 1))/actuator/prometheus" \
                    | awk '/^reid_sync_index_total/ {printf "%s ", $0}'; }

if [ "$GALLERY" -gt 0 ]; then
  echo "--- seeding a gallery of $GALLERY entries (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  PROFILE=0 start_service "${SERVICE_JARS%% *}" "$WORK/gallery" "$WORK/seed-1.log"
  bench org.reid.benchmarks.load.GallerySeeder "jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" "$MODEL" \
    "$WORK/seed-crops" "$GALLERY"
  stop_service
  t0=$(date +%s.%N)
  # readiness waits for the index, which this start builds from PostgreSQL
  PROFILE=0 start_service "${SERVICE_JARS%% *}" "$WORK/gallery" "$WORK/seed-2.log"
  echo "service ready, its index built from PostgreSQL, in $(echo "$(date +%s.%N) - $t0" | bc) s"
  # the build's background merges and compaction go on after readiness: wait until the service idles
  # (under 0.2 s of CPU in 5 s), so that the measured batches do not pay for them
  while c0=$(cpu_s "$SERVICE_PID") && sleep 5 && [ "$(echo "$(cpu_s "$SERVICE_PID") - $c0 > 0.2" | bc)" = 1 ]; do :; done
  echo "its merges done after $(echo "$(date +%s.%N) - $t0" | bc) s: $(find "$WORK/gallery" -name '*.si' | wc -l) segments"
  stop_service
fi
n=0
for round in $(seq 1 "$ROUNDS"); do
jars=$SERVICE_JARS
[ $((round % 2)) = 0 ] && jars=$(echo "$SERVICE_JARS" | tr ' ' '\n' | tac | tr '\n' ' ')
for SERVICE_JAR in $jars; do
for cs in $CHUNK_SIZES; do
  n=$((n + 1))
  echo "=== round $round, $SERVICE_JAR, chunk $cs"
  data=$WORK/data-$cs
  rm -rf "$data"
  [ "$GALLERY" -gt 0 ] && cp -a "$WORK/gallery" "$data"
  start_service "$SERVICE_JAR" "$data" "$WORK/service-$cs.log" --reid.ingest.chunk-size="$cs"
  if [ "$FOLLOWER" = 1 ]; then
    rm -rf "$data-follower" && mkdir -p "$data-follower"
    [ "$GALLERY" -gt 0 ] && cp -a "$WORK/gallery/index" "$data-follower/"
    start_follower "$SERVICE_JAR" "$data-follower" "$WORK/follower-$cs.log"
  fi
  [ "$GALLERY" -gt 0 ] && curl -sf -H "X-API-Key: $API_KEY" "$BASE/api/v1/identities?size=1" | jq -c '{identities: .totalElements}'
  # a warm-up batch of other crops first: the measured batch then meets a warmed-up JVM
  warm_id=$(curl -sf -H "X-API-Key: $API_KEY" -F archive=@"$WORK/warm.zip" "$BASE/api/v1/gallery/batches" | jq -r .id)
  until [ "$(curl -sf -H "X-API-Key: $API_KEY" "$BASE/api/v1/gallery/batches/$warm_id" | jq -r .state)" = DONE ]; do sleep 1; done
  for b in $(seq 1 "$BATCHES"); do
    curl -sf -H "X-API-Key: $API_KEY" "$BASE/actuator/prometheus" > "$WORK/before-$cs.prom"
    echo "--- ingestion, reid.ingest.chunk-size=$cs, measured batch $b of $BATCHES (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
    [ "$FOLLOWER" = 1 ] && follower0=$(cpu_s "$FOLLOWER_PID") && echo "follower's sync passes before: $(follower_ways)"
    [ "$WAL" = 1 ] && lsn0=$(bench org.reid.benchmarks.load.WalBytes "jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" | sed -n 's/^lsn=//p')
    cpu0=$(service_cpu_s "$data"); jvm0=$(cpu_s "$SERVICE_PID"); thread_ticks "$SERVICE_PID" > "$WORK/threads0"
    pg_ticks "$data" > "$WORK/pg0"

    t0=$(date +%s.%N)
    id=$(curl -sf -H "X-API-Key: $API_KEY" -F archive=@"$WORK/batch-$b.zip" "$BASE/api/v1/gallery/batches" | jq -r .id)
    t1=$(date +%s.%N)
    if [ "$FOLLOWER" = 1 ] && [ -n "$ERASE_AT" ]; then
      (sleep "$ERASE_AT"; fbase=http://127.0.0.1:$((PORT + 1))
       victim=$(curl -sf -H "X-API-Key: $API_KEY" "$fbase/api/v1/identities?size=1" | jq -r '.content[0].id')
       echo "erased identity $victim through the follower: HTTP $(curl -s -o /dev/null -w '%{http_code}' -X DELETE \
         -H "X-API-Key: $API_KEY" "$fbase/api/v1/identities/$victim")") &
    fi
    until [ "$(curl -sf -H "X-API-Key: $API_KEY" "$BASE/api/v1/gallery/batches/$id" | tee "$WORK/batch-$cs.json" | jq -r .state)" = DONE ]; do
      sleep "$POLL_S"
    done
    t2=$(date +%s.%N)
    cpu1=$(service_cpu_s "$data"); jvm1=$(cpu_s "$SERVICE_PID"); thread_ticks "$SERVICE_PID" > "$WORK/threads1"
    [ "$FOLLOWER" = 1 ] && follower1=$(cpu_s "$FOLLOWER_PID")
    pg_ticks "$data" > "$WORK/pg1"
    curl -sf -H "X-API-Key: $API_KEY" "$BASE/actuator/prometheus" > "$WORK/after-$cs.prom"
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    jq -c '{total, stored, duplicates, failed, createdAt, updatedAt}' "$WORK/batch-$cs.json"
    created=$(date -d "$(jq -r .createdAt "$WORK/batch-$cs.json")" +%s.%N)
    updated=$(date -d "$(jq -r .updatedAt "$WORK/batch-$cs.json")" +%s.%N)
    processing=$(echo "$updated - $created" | bc)
    embed_s=$(echo "$(awk '/^reid_embed_latency_seconds_sum\{.*path="ingest"/{print $2}' "$WORK/after-$cs.prom") - $(awk '/^reid_embed_latency_seconds_sum\{.*path="ingest"/{print $2}' "$WORK/before-$cs.prom")" | bc)
    echo "upload+staging (POST until 202): $(echo "$t1 - $t0" | bc) s"
    echo "wall, POST until DONE seen: $(echo "$t2 - $t0" | bc) s -> $(echo "scale=1; $CROPS / ($t2 - $t0)" | bc) crops/s"
    echo "batch createdAt..updatedAt: $processing s -> $(echo "scale=1; $CROPS / $processing" | bc) crops/s"
    echo "service forward time (reid_embed_latency_seconds_sum, path=ingest): $embed_s s -> $(echo "scale=1; $CROPS / $embed_s" | bc) crops/s inside the service"
    echo "ratio, wall ingestion / pure forward (${FORWARD[$cs]} crops/s): $(echo "scale=3; $CROPS / ($t2 - $t0) / ${FORWARD[$cs]}" | bc)"
    echo "CPU, service JVM + its PostgreSQL: $(echo "$cpu1 - $cpu0" | bc) s -> $(echo "scale=1; $CROPS / ($cpu1 - $cpu0)" | bc) crops per CPU-second"
    echo "  of which the service JVM: $(echo "$jvm1 - $jvm0" | bc) s, its PostgreSQL: $(echo "($cpu1 - $cpu0) - ($jvm1 - $jvm0)" | bc) s"
    echo "ratio, crops per CPU-second, ingestion / pure forward (${FORWARD_CPU[$cs]}): $(echo "scale=3; $CROPS / ($cpu1 - $cpu0) / ${FORWARD_CPU[$cs]}" | bc)"
    if [ "$FOLLOWER" = 1 ]; then
      echo "follower replica's JVM: $(echo "$follower1 - $follower0" | bc) s -> $(echo "scale=3; 1000 * ($follower1 - $follower0) / $CROPS" | bc) ms a crop"
      echo "follower's sync passes after: $(follower_ways)"
    fi
    [ "$WAL" = 1 ] && bench org.reid.benchmarks.load.WalBytes "jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" "$lsn0" "$CROPS"
    echo "the service JVM's CPU by thread (from /proc, all its threads):"
    thread_cpu "$WORK/threads0" "$WORK/threads1"
    echo "its PostgreSQL's CPU by process:"
    thread_cpu "$WORK/pg0" "$WORK/pg1"
    bench org.reid.benchmarks.load.PrometheusDelta "$WORK/before-$cs.prom" "$WORK/after-$cs.prom" reid_embed_batch_size reid_embed_latency_seconds
  done
  stop_follower
  stop_service
  [ "$PROFILE" = 1 ] && bench org.reid.benchmarks.load.IngestProfile "$WORK/ingest-$cs.jfr" "$((CROPS * BATCHES + WARM))"
  [ "$PROFILE" = 1 ] && mv "$WORK/ingest-$cs.jfr" "$WORK/ingest-$n-$cs.jfr"
done
done
done
echo "load after: $(uptime)"
echo "=== summary (benchmarks/ingest_summary.py $WORK/ingest.log $SUMMARY_FROM)"
python3 benchmarks/ingest_summary.py "$WORK/ingest.log" "$SUMMARY_FROM"
