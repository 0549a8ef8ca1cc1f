#!/usr/bin/env bash
# Gallery search, side by side in one run, one thread each: our exact search (SIMD flat store) and
# HNSW (Lucene 9.12) against numpy/OpenBLAS gemv, FAISS IndexFlatIP and hnswlib on the same
# embedding-like vectors (identity clusters on the sphere, dimension 512), written once to
# float32 files that both sides read. Results: $DATA/java.jsonl, $DATA/peers.jsonl, $DATA/report.md.
#   SIZES="10000 100000 1000000" HNSW_MAX=100000 benchmarks/search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-/tmp/reid-search-bench}
SIZES=${SIZES:-10000 100000 1000000}
HNSW_MAX=${HNSW_MAX:-100000}          # HNSW builds above this size take too long for one run here
EXACT_QUERIES=${EXACT_QUERIES:-10000=1000,100000=300,1000000=60}
EFS=${EFS:-10,20,40,80,160}
QUERIES=${QUERIES:-1000}
HEAP=${HEAP:-6g}
INT7_MAX=${INT7_MAX:-10000}       # Lucene int7-quantised HNSW only up to this size (build time)

/usr/bin/python3 -c 'import faiss, hnswlib, numpy' 2>/dev/null \
  || { apt-get update -qq && apt-get install -y -qq python3-faiss python3-hnswlib python3-numpy; }
[ -f benchmarks/target/benchmarks.jar ] && [ -z "${REBUILD:-}" ] \
  || ./mvnw -B -q -pl service,benchmarks -am package -DskipTests
mkdir -p "$DATA"
JAVA=(java --add-modules jdk.incubator.vector -Xms$HEAP -Xmx$HEAP -XX:+UseParallelGC -Dsearch.int7Max=$INT7_MAX -cp benchmarks/target/benchmarks.jar)
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc --all) cores (shared), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $(java -version 2>&1 | head -1); $(/usr/bin/python3 --version)"
"${JAVA[@]}" org.reid.benchmarks.search.EmbeddingLikeVectors "$DATA" 512 "$QUERIES" 42 $SIZES
"${JAVA[@]}" org.reid.benchmarks.search.SearchBenchmark "$DATA" "$DATA/java.jsonl" "$HNSW_MAX" \
  "$EXACT_QUERIES" "$EFS" $SIZES
/usr/bin/python3 benchmarks/search_peers.py run "$DATA" "$DATA/peers.jsonl" "$HNSW_MAX" \
  "$EXACT_QUERIES" "$EFS" $SIZES
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 benchmarks/search_peers.py report "$DATA/java.jsonl" "$DATA/peers.jsonl" | tee "$DATA/report.md"
