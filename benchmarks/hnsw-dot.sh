#!/usr/bin/env bash
# The dot products HNSW computes for every distance: Lucene 9.12's own (scalar on Java 17) against
# the SIMD kernels our index's scorers use (SimdHnswVectorsFormat), int7 and float, 256-d and 512-d,
# in one JMH run. The ratio is what docs/benchmarks-scale.md reports.
#   benchmarks/hnsw-dot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f benchmarks/target/benchmarks.jar ] && [ -z "${REBUILD:-}" ] \
  || ./mvnw -B -q -o -pl benchmarks -am package -DskipTests
echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc --all) cores, flags: $(grep -o -w 'avx512f\|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')load $(cut -d' ' -f1-3 /proc/loadavg)"
java -jar benchmarks/target/benchmarks.jar HnswDotProductBenchmark -t 1 2>&1 | grep -v -e 'WARNING' -e '^#' -e '^$' | tail -12
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
