#!/usr/bin/env bash
# One Adam step on CPU over the trainable parameters of the small ReidNet and of BoT's ResNet-50
# ReidNet: DJL's Adam per parameter (as Trainer.step() drives it), our FusedAdam, and
# torch.optim.Adam (Debian python3-torch 1.13, single-tensor default and foreach), same shapes,
# same threads. Prints a markdown table with ratios to torch.
#   THREADS=1 WARMUP=5 ITERATIONS=20 FUSED_CHUNKS=default,whole,65536 benchmarks/optimizer.sh
# (FUSED_CHUNKS: FusedAdam chunk sizes to time, in elements per fused call; "whole" = one call per group)
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-1}
WARMUP=${WARMUP:-5}
ITERATIONS=${ITERATIONS:-20}
OUT=benchmarks/target/optimizer
/usr/bin/python3 -c 'import torch' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-torch; }
./mvnw -B -q -o -pl benchmarks -am package -DskipTests
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
: > "$RESULTS"
export OMP_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS DJL_OFFLINE=true
JAVA="java -Dai.djl.offline=true -Dfused.chunks=${FUSED_CHUNKS:-default,whole,65536} -Dai.djl.pytorch.num_threads=$THREADS -Dai.djl.pytorch.num_interop_threads=1 \
  -cp benchmarks/target/benchmarks.jar"
$JAVA org.reid.benchmarks.OptimizerShapes "$OUT"
for net in small resnet50; do
  $JAVA org.reid.benchmarks.OptimizerStepBenchmark "$OUT/params-$net.txt" "$net" "$WARMUP" "$ITERATIONS" "$RESULTS"
  /usr/bin/python3 benchmarks/adam_torch.py run --params "$OUT/params-$net.txt" --label "$net" \
    --threads "$THREADS" --warmup "$WARMUP" --iterations "$ITERATIONS" --results "$RESULTS"
done
echo
echo "Adam step, CPU, $THREADS intra-op thread(s), median of $ITERATIONS steps after $WARMUP warm-up:"
/usr/bin/python3 benchmarks/adam_torch.py table --results "$RESULTS"
