#!/usr/bin/env bash
# Embedding inference throughput on CPU (docs/benchmarks-embedding.md): reid-core's EmbeddingNet on
# DJL/libtorch vs the same architecture in PyTorch (Debian python3-torch), with the same weights
# (checked: equal parameter counts, equal embeddings), the same batches and the same threads.
# Cases: the demo model (small backbone, 128x64) and BoT's ResNet-50 at 256x128 (random weights).
# Paths: the bare network forward, preprocessing, and the full Embedder.embed(List<Image>).
#   THREADS="1 2" BATCHES=1,8,32,64 CASES=small,resnet50 WARMUP=1 BUDGET=3 benchmarks/embedding.sh
# (WARMUP: seconds of warm-up calls, at least 1 call; BUDGET: seconds of timed calls, 3 to 20 calls)
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-1 2}
BATCHES=${BATCHES:-1,8,32,64}
CASES=${CASES:-small,resnet50}
WARMUP=${WARMUP:-1}
BUDGET=${BUDGET:-3}
OUT=benchmarks/target/embedding
/usr/bin/python3 -c 'import torch, numpy' 2>/dev/null \
  || { apt-get update -qq && apt-get install -y -qq python3-torch python3-numpy; }
./mvnw -B -q -o -pl benchmarks -am package -DskipTests
rm -rf "$OUT" && mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
AGREEMENT="$OUT/agreement.tsv"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "python3-torch $(dpkg-query -W -f='${Version}' python3-torch 2>/dev/null || echo '?')"
# DJL and torch alternate case by case, so that a change in the machine's load hits both sides alike.
for t in $THREADS; do
  export OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t DJL_OFFLINE=true
  for c in ${CASES//,/ }; do
    # The first Java run of a case writes the weights and reference embeddings the torch side loads and checks.
    java -Dai.djl.offline=true -Djava.awt.headless=true -Dai.djl.pytorch.num_threads="$t" \
      -Dai.djl.pytorch.num_interop_threads=1 -Dbench.warmup="$WARMUP" -Dbench.budget="$BUDGET" \
      -cp benchmarks/target/benchmarks.jar org.reid.benchmarks.embedding.EmbeddingBenchmark \
      models/reid-demo-small-1.zip "$OUT" "$c" "$BATCHES" "$RESULTS" 2>&1 | grep --line-buffered -v -e '^SLF4J' -e ' WARN ' -e ' INFO '
    /usr/bin/python3 benchmarks/embedding_torch.py run --case "$c" --dir "$OUT/$c" --threads "$t" \
      --batches "$BATCHES" --warmup "$WARMUP" --budget "$BUDGET" --results "$RESULTS" --agreement "$AGREEMENT"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Images/s, median wall time per call, $THREADS intra-op thread(s):"
/usr/bin/python3 benchmarks/embedding_torch.py table --results "$RESULTS"
