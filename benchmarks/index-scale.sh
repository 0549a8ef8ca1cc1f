#!/usr/bin/env bash
# The gallery index at scale, side by side in one run, one thread each: the service's index
# (reid-index LuceneVectorIndex, float / int7 / int4, built as the service builds it) against
# hnswlib and FAISS HNSW (flat, SQ8) on the same embedding-like vectors and the same exact top-10.
# One configuration per process. Results: $DATA/results.jsonl and $DATA/report.md.
#   RUNS="256:100000 512:100000 256:300000" benchmarks/index-scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-/tmp/reid-index-scale}
RUNS=${RUNS:-256:100000 512:100000 256:300000}   # dim:entries
QUANT=${QUANT:-none int7 int4}                    # ours
PEERS=${PEERS:-hnswlib faiss-hnsw faiss-hnsw-sq8}
EFS=${EFS:-50,100,200}
QUERIES=${QUERIES:-1000}
HEAP=${HEAP:-3g}
M=${M:-16}
EFC=${EFC:-100}

/usr/bin/python3 -c 'import faiss, hnswlib, numpy' 2>/dev/null \
  || { apt-get update -qq && apt-get install -y -qq python3-faiss python3-hnswlib python3-numpy; }
[ -f benchmarks/target/benchmarks.jar ] && [ -z "${REBUILD:-}" ] \
  || ./mvnw -B -q -pl service,benchmarks -am package -DskipTests
mkdir -p "$DATA"
JAVA=(java --add-modules jdk.incubator.vector -Xmx$HEAP -XX:+UseParallelGC -cp benchmarks/target/benchmarks.jar)
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

echo "== $(date -u +%FT%TZ) machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc --all) cores (shared), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $(java -version 2>&1 | head -1); $(/usr/bin/python3 --version); RUNS=\"$RUNS\" QUANT=\"$QUANT\" PEERS=\"$PEERS\" EFS=$EFS M=$M EFC=$EFC"
for run in $RUNS; do
  dim=${run%%:*}; size=${run##*:}; dir="$DATA/d$dim"
  "${JAVA[@]}" org.reid.benchmarks.search.EmbeddingLikeVectors "$dir" "$dim" "$QUERIES" 42 "$size"
  [ -f "$dir/truth-$size.i32" ] || /usr/bin/python3 benchmarks/index_scale_peers.py truth "$dir" "$size"
  for q in $QUANT; do
    echo "== load $(cut -d' ' -f1-3 /proc/loadavg)"
    "${JAVA[@]}" org.reid.benchmarks.search.IndexScaleBenchmark "$dir" "$DATA/results.jsonl" "$size" "$q" "$EFS" "$M" "$EFC"
  done
  for p in $PEERS; do
    echo "== load $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/python3 benchmarks/index_scale_peers.py run "$dir" "$DATA/results.jsonl" "$size" "$p" "$EFS" "$M" "$EFC"
  done
done
echo "== $(date -u +%FT%TZ) load after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 benchmarks/index_scale_peers.py report "$DATA/results.jsonl" | tee "$DATA/report.md"
