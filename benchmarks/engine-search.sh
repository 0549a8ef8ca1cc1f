#!/usr/bin/env bash
# Embedded index vs the SolrCloud backend (reid-index-solr), side by side in one run: the same
# embedding-like gallery (identity clusters on the sphere) and queries, one query thread, k=10, at
# each efSearch in EFS (per shard for Solr); Solr with 1, 2 and 4 shards (one replica) on one Solr
# node in the same JVM, reached over HTTP on loopback. Both are compacted as the service leaves them
# after a rebuild. The benchmark runs on reid-index-solr's test classpath, where the in-process Solr
# lives (the service itself only carries the client).
#   SIZES="10000 100000" DIM=256 QUERIES=500 SHARDS=1,2,4 EFS=100,400 benchmarks/engine-search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-10000 100000}
DIM=${DIM:-256}
QUERIES=${QUERIES:-500}
SHARDS=${SHARDS:-1,2,4}
EFS=${EFS:-100}
EMBEDDED=${EMBEDDED:-true}   # false: Solr only, against exact search in the benchmark (a 1M embedded build takes half an hour)
ERRORS=${ERRORS:-/dev/null}  # where the benchmark's stderr goes (a failure's stack trace)
HEAP=${HEAP:-4g}

# test-compile and the test classpath in one reactor (reid-index resolves to its target/classes);
# reid-index-solr comes last, so its classpath is the file's final content
./mvnw -B -q -o -pl reid-index-solr -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/reid-index-solr/target/test.classpath"
CP="reid-index-solr/target/test-classes:reid-index-solr/target/classes:$(cat reid-index-solr/target/test.classpath)"

echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc --all) cores (shared), flags: $(grep -o -w 'avx512f\|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "== $(java -version 2>&1 | head -1); $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
for size in $SIZES; do
  java --add-modules jdk.incubator.vector -Xms$HEAP -Xmx$HEAP -XX:+UseParallelGC -Dlog4j2.level=warn -Dembedded="$EMBEDDED" \
    -cp "$CP" org.reid.index.solr.EngineSearchBenchmark "$size" "$DIM" "$QUERIES" "$SHARDS" "$EFS" 2>>"$ERRORS" \
    | grep --line-buffered -E '^(\||gallery)'   # Solr's own log goes to stdout too
  echo "== load after $size: $(cut -d' ' -f1-3 /proc/loadavg)"
done
