#!/usr/bin/env bash
# Embedding inference throughput on CPU (docs/benchmarks-embedding.md): reid-core's EmbeddingNet on
# DJL/libtorch vs the same architecture in PyTorch (Debian python3-torch), with the same weights
# (checked: equal parameter counts, equal embeddings), the same batches and the same threads.
# Cases: the demo model (small backbone, 128x64) and BoT's ResNet-50 at 256x128 (random weights).
# Paths: the bare network forward, preprocessing, and the full Embedder.embed(List<Image>).
#   THREADS="1 2" BATCHES=1,8,32,64 CASES=small,resnet50 WARMUP=1 BUDGET=3 MAX_REPS=20 REPEATS=1 benchmarks/embedding.sh
# (WARMUP: seconds of warm-up calls, at least 1 call; BUDGET: seconds of timed calls, 3 to MAX_REPS calls;
#  REPEATS: rounds, the side that goes first alternating; JAR: a prebuilt benchmarks jar instead of building;
#  BEFORE_JAR: an older build's jar, timed in the same rounds as a third side, "djl-before")
# The single-crop figure of issue 15:
#   THREADS=1 BATCHES=1 CASES=small WARMUP=5 MAX_WARMUP=5000 BUDGET=4 MAX_REPS=1000 REPEATS=3 benchmarks/embedding.sh
# (MAX_WARMUP: most warm-up calls; with the default 5 a few-ms call leaves the JVM's JIT compiling into the timed part)
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-1 2}
BATCHES=${BATCHES:-1,8,32,64}
CASES=${CASES:-small,resnet50}
WARMUP=${WARMUP:-1}
BUDGET=${BUDGET:-3}
MAX_REPS=${MAX_REPS:-20}
MAX_WARMUP=${MAX_WARMUP:-5}
REPEATS=${REPEATS:-1}
OUT=${OUT:-benchmarks/target/embedding}
/usr/bin/python3 -c 'import torch, numpy' 2>/dev/null \
  || { apt-get update -qq && apt-get install -y -qq python3-torch python3-numpy; }
if [ -z "${JAR:-}" ]; then
  ./mvnw -B -q -o -pl benchmarks -am package -DskipTests
  JAR=benchmarks/target/benchmarks.jar
fi
# Debian's torch takes its GEMM from libblas.so.3; where that is the reference BLAS, torch's im2col
# convolutions run ~10x slower than with OpenBLAS, which would flatter the Java side.
. benchmarks/torch_blas.sh
rm -rf "$OUT" && mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
AGREEMENT="$OUT/agreement.tsv"
echo "$(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(grep -o -m1 -w 'avx512f' /proc/cpuinfo || grep -o -m1 -w avx2 /proc/cpuinfo), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "python3-torch $(dpkg-query -W -f='${Version}' python3-torch 2>/dev/null || echo '?'), BLAS: $TORCH_BLAS"
djl() {
  java -Dai.djl.offline=true -Djava.awt.headless=true -Dai.djl.pytorch.num_threads="$t" \
    -Dai.djl.pytorch.num_interop_threads=1 -Dbench.warmup="$WARMUP" -Dbench.budget="$BUDGET" -Dbench.maxReps="$MAX_REPS" -Dbench.maxWarmup="$MAX_WARMUP" \
    -cp "$JAR" org.reid.benchmarks.embedding.EmbeddingBenchmark \
    models/reid-demo-small-1.zip "$OUT" "$c" "$BATCHES" "$RESULTS.$r" 2>&1 | grep --line-buffered -v -e '^SLF4J' -e ' WARN ' -e ' INFO '
}
djl_before() {
  [ -n "${BEFORE_JAR:-}" ] || return 0
  java -Dai.djl.offline=true -Djava.awt.headless=true -Dai.djl.pytorch.num_threads="$t" \
    -Dai.djl.pytorch.num_interop_threads=1 -Dbench.warmup="$WARMUP" -Dbench.budget="$BUDGET" -Dbench.maxReps="$MAX_REPS" -Dbench.maxWarmup="$MAX_WARMUP" \
    -cp "$BEFORE_JAR" org.reid.benchmarks.embedding.EmbeddingBenchmark \
    models/reid-demo-small-1.zip "$OUT/before" "$c" "$BATCHES" "$OUT/before.tsv" 2>&1 \
    | grep --line-buffered -v -e '^SLF4J' -e ' WARN ' -e ' INFO ' | sed -u 's/\tdjl\t/\tdjl-before\t/'
  sed 's/\tdjl\t/\tdjl-before\t/' "$OUT/before.tsv" >> "$RESULTS.$r" && rm "$OUT/before.tsv"
}
torch() {
  $TORCH_ENV /usr/bin/python3 benchmarks/embedding_torch.py run --case "$c" --dir "$OUT/$c" --threads "$t" \
    --batches "$BATCHES" --warmup "$WARMUP" --budget "$BUDGET" --max-reps "$MAX_REPS" --max-warmup "$MAX_WARMUP" --results "$RESULTS.$r" \
    --agreement "$AGREEMENT"
}
# DJL and torch alternate case by case (and which goes first alternates by round), so that a
# change in the machine's load hits both sides alike.
for r in $(seq 1 "$REPEATS"); do
  for t in $THREADS; do
    export OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t DJL_OFFLINE=true
    for c in ${CASES//,/ }; do
      # The first Java run of a case writes the weights and reference embeddings the torch side loads and checks.
      if [ ! -f "$OUT/$c/params.f32" ] || [ $((r % 2)) = 1 ]; then djl; torch; djl_before; else djl_before; torch; djl; fi
      echo "round $r, $c, $t thread(s): load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load.txt"
    done
  done
  cat "$RESULTS.$r" >> "$RESULTS"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Images/s, median wall time per call, $THREADS intra-op thread(s):"
/usr/bin/python3 benchmarks/embedding_torch.py table --results "$RESULTS.1"
echo
echo "DJL/torch by CPU time, each round ($REPEATS), and the median over rounds:"
/usr/bin/python3 benchmarks/embedding_torch.py rounds --results "$RESULTS" --rounds "$REPEATS"
