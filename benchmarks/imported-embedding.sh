#!/usr/bin/env bash
# An imported TorchScript ResNet-50 against our own ReidNet ResNet-50 (BoT: last stride 1, BNNeck,
# 256x128), the same weights, on CPU (docs/benchmarks-embedding.md, issue 9). Steps:
#   1. EmbeddingBenchmark writes a random-weight BoT ResNet-50 artifact and its weights for torch;
#   2. embedding_torch.py builds the same network in PyTorch with those weights, checks it agrees,
#      and traces it to TorchScript, as a torchreid user would export their model;
#   3. training-job import wraps the trace as an artifact (one forward pass checks it);
#   4. ImportedEmbeddingBenchmark times both artifacts, alternating, after checking they agree.
#   THREADS="1 2" BATCHES=32 WARMUP=1 BUDGET=3 benchmarks/imported-embedding.sh
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-1 2}
BATCHES=${BATCHES:-32}
WARMUP=${WARMUP:-1}
BUDGET=${BUDGET:-3}
OUT=benchmarks/target/imported-embedding
/usr/bin/python3 -c 'import torch, numpy' 2>/dev/null \
  || { apt-get update -qq && apt-get install -y -qq python3-torch python3-numpy; }
./mvnw -B -q -pl benchmarks,training-job -am package -DskipTests
rm -rf "$OUT" && mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
JAVA=(java -Dai.djl.offline=true -Djava.awt.headless=true -Dai.djl.pytorch.num_interop_threads=1)
echo "$(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
export DJL_OFFLINE=true
# 1: the artifact and its weights (a short timing of ours at batch 1 comes with it; not used).
"${JAVA[@]}" -Dbench.warmup=0 -Dbench.budget=0 -cp benchmarks/target/benchmarks.jar \
  org.reid.benchmarks.embedding.EmbeddingBenchmark models/reid-demo-small-1.zip "$OUT" resnet50 1 "$OUT/setup.tsv" \
  2>&1 | grep -v -e '^SLF4J' -e ' WARN ' -e ' INFO ' -e $'\tdjl\t'
# 2 and 3
/usr/bin/python3 benchmarks/embedding_torch.py export --case resnet50 --dir "$OUT/resnet50" --out "$OUT/resnet50.pt"
"${JAVA[@]}" -jar training-job/target/training-job.jar import --torchscript "$OUT/resnet50.pt" \
  --height 256 --width 128 --dim 2048 --name bot-resnet50-torchscript --version 1 --backbone resnet50 \
  --out "$OUT/imported.zip" 2>&1 | grep -v -e '^SLF4J' -e ' WARN ' -e ' INFO '
# 4
for t in $THREADS; do
  OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t "${JAVA[@]}" -Dai.djl.pytorch.num_threads="$t" -Dbench.warmup="$WARMUP" \
    -Dbench.budget="$BUDGET" -cp benchmarks/target/benchmarks.jar \
    org.reid.benchmarks.embedding.ImportedEmbeddingBenchmark "$OUT/resnet50/artifact" "$OUT/imported.zip" \
    "$BATCHES" "$RESULTS" 2>&1 | grep -v -e '^SLF4J' -e ' WARN ' -e ' INFO '
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Images/s (median wall time per call), torchscript / ours:"
awk -F'\t' '{ key = $3 "\t" $4 "\t" $5; ips[$2 "\t" key] = $7; cpu[$2 "\t" key] = $9; keys[key] = 1 }
  END { printf "%-8s %-7s %-5s %12s %14s %10s %12s\n", "path", "threads", "batch", "ours img/s", "imported img/s", "wall ratio", "CPU ratio";
        for (k in keys) { split(k, f, "\t");
          printf "%-8s %-7s %-5s %12.1f %14.1f %10.2f %12.2f\n", f[1], f[2], f[3], ips["ours\t" k], ips["torchscript\t" k],
            ips["torchscript\t" k] / ips["ours\t" k], cpu["ours\t" k] / cpu["torchscript\t" k] } }' "$RESULTS" | sort
