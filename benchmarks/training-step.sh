#!/usr/bin/env bash
# Training steps of ReidTrainer on CPU (docs/benchmarks.md, "Training step (CPU)") against the same
# step in PyTorch (benchmarks/training_step_torch.py: same network, batch, losses and optimizer, on a
# random batch): images/s, CPU time per step, data loading vs forward/backward/update, and for mvp the
# Kuhn-Munkres share. Generated `standard` dataset (IDENTITIES identities, 128x64, P16 x K4, small
# backbone, BoT ID loss). THREADS intra-op threads on both sides; REPEATS rounds, the side that goes
# first alternating; the ratio is by CPU time (a shared machine stretches wall time, not CPU time).
#   THREADS=1 REPEATS=3 WARMUP_EPOCHS=1 EPOCHS=2 IDENTITIES=100 LOSSES="batch-hard" DATA=/tmp/reid-step-bench benchmarks/training-step.sh
# (LOSSES="batch-hard mvp" adds MVP's step, which has no torch peer here.)
# PROFILE=1 also records libtorch's operator profile on both sides in the last round and prints
# each operator's self time per step side by side (benchmarks/op_profile.py); the profiler adds
# its own cost, so that round's CPU times are not comparable with the others.
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-1}
REPEATS=${REPEATS:-3}
WARMUP_EPOCHS=${WARMUP_EPOCHS:-1}
EPOCHS=${EPOCHS:-2}
LOSSES=${LOSSES:-batch-hard}
PROFILE=${PROFILE:-0}
DATA=${DATA:-/tmp/reid-step-bench}
JAR=${JAR:-benchmarks/target/benchmarks.jar}
[ -f "${JAR%%:*}" ] || [ -d "${JAR%%:*}" ] || ./mvnw -B -q -o -pl benchmarks -am package -DskipTests
/usr/bin/python3 -c 'import torch' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-torch; }
. benchmarks/torch_blas.sh
export OMP_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS DJL_OFFLINE=true
# glibc malloc as the training image runs it, on both sides: without it both page-fault their freed
# batch tensors back in every step (torch 438 -> 202, DJL 482 -> 372 CPU ms per step; GLIBC_TUNABLES= for glibc's defaults)
export GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967295}"
OUT=$(mktemp -d)
echo "$(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(grep -o -m1 -w 'avx512f' /proc/cpuinfo || grep -o -m1 -w avx2 /proc/cpuinfo), $THREADS intra-op thread(s), torch BLAS: $TORCH_BLAS"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); GLIBC_TUNABLES=$GLIBC_TUNABLES"
djl_prof=(); torch_prof=()   # set for the profiled round
djl() {
  java "${djl_prof[@]}" -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
    -Didentities="${IDENTITIES:-100}" -Dpreset=standard -Dheight=128 -Dwidth=64 -Dlr=3.5e-4 \
    -cp "$JAR" org.reid.benchmarks.TrainingStepBenchmark "$DATA" "$1" "$WARMUP_EPOCHS" "$EPOCHS" 2>&1 \
    | grep -v -e '^SLF4J' -e '^\[' | tee "$OUT/djl.txt"
}
torch() {
  classes=$(sed -n 's/.* images of \([0-9]*\) identities.*/\1/p' "$OUT/djl.txt" | head -1)
  $TORCH_ENV /usr/bin/python3 benchmarks/training_step_torch.py --threads "$THREADS" --classes "${classes:-50}" \
    --warmup 5 --steps 20 "${torch_prof[@]}" | tee "$OUT/torch.txt"
}
for loss in $LOSSES; do
  [ "$loss" = batch-hard ] || { djl "$loss"; continue; }
  : > "$OUT/ratios.txt"
  for r in $(seq 1 "$REPEATS"); do
    if [ "$PROFILE" = 1 ] && [ "$r" = "$REPEATS" ]; then
      djl_prof=(-Dprofile="$OUT/djl-trace.json"); torch_prof=(--profile "$OUT/torch-trace.json")
    fi
    if [ $((r % 2)) = 1 ] || [ ! -f "$OUT/djl.txt" ]; then djl "$loss"; torch; else torch; djl "$loss"; fi
    d=$(sed -n 's/^djl_step_cpu_ms=//p' "$OUT/djl.txt"); l=$(sed -n 's/^djl_loading_cpu_ms=//p' "$OUT/djl.txt")
    t=$(sed -n 's/^torch_step_cpu_ms=//p' "$OUT/torch.txt")
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    echo "$r $d $l $t $load" >> "$OUT/ratios.txt"
    echo "round $r: CPU ms per step DJL $d (data loading $l), torch $t; load average $load"
  done
  echo
  echo "| round | DJL CPU ms/step | of which data loading | DJL forward/backward/update | torch CPU ms/step | DJL/torch, whole step | DJL/torch, without data loading | load average |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  awk '{printf "| %s | %.1f | %.1f | %.1f | %.1f | %.2fx | %.2fx | %s %s %s |\n", $1, $2, $3, $2-$3, $4, $4/$2, $4/($2-$3), $5, $6, $7}' "$OUT/ratios.txt"
  if [ "$PROFILE" = 1 ]; then
    echo
    echo "operators of the last (profiled) round, self time per step (wall ms; the profiler's own cost included):"
    python3 benchmarks/op_profile.py "$OUT/djl-trace.json" "$(sed -n 's/.*: \([0-9]*\) measured steps.*/\1/p' "$OUT/djl.txt")" \
      "$OUT/torch-trace.json" 20 25
  fi
  awk '{print $4/($2-$3)}' "$OUT/ratios.txt" | sort -g | awk '{v[NR]=$1} END {printf "median DJL/torch by CPU time (throughput ratio, without data loading): %.2fx over %d rounds\n", v[int((NR+1)/2)], NR}'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$OUT"
