#!/usr/bin/env bash
# Training steps of ReidTrainer on CPU (docs/benchmarks.md, "Training step (CPU)"): images/s,
# data loading vs forward/backward/update, and MVP's Kuhn-Munkres share, for batch-hard and mvp,
# both with the ID loss, on a generated `standard` dataset (IDENTITIES identities, 128x64, P16 x K4,
# small backbone).
#   WARMUP_EPOCHS=1 EPOCHS=2 IDENTITIES=100 DATA=/tmp/reid-step-bench benchmarks/training-step.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WARMUP_EPOCHS=${WARMUP_EPOCHS:-1}
EPOCHS=${EPOCHS:-2}
DATA=${DATA:-/tmp/reid-step-bench}
JAR=${JAR:-benchmarks/target/benchmarks.jar}
[ -f "$JAR" ] || ./mvnw -B -q -o -pl benchmarks -am package -DskipTests
echo "$(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for loss in batch-hard mvp; do
  java -Didentities="${IDENTITIES:-100}" -Dpreset=standard -Dheight=128 -Dwidth=64 -Dlr=3.5e-4 \
    -cp "$JAR" org.reid.benchmarks.TrainingStepBenchmark "$DATA" "$loss" "$WARMUP_EPOCHS" "$EPOCHS" 2>&1 \
    | grep -v -e '^SLF4J' -e '^\['
done
