#!/usr/bin/env bash
# Issue 10, part 4: MVP with its defaults vs batch-hard (both with the BoT ID loss), trained on a
# camera-randomised world, clean and with 20% mislabelled crops, 3 training seeds each, judged on
# the generalisation suite (benchmarks/generalisation-suite.sh: worlds none of the runs trained on).
#   EXP=/tmp/mvpgen benchmarks/mvp-generalisation.sh
#   LOSSES="batch-hard mvp" NOISES="0 0.2" SEEDS="1 2 3" IDENTITIES=160 EPOCHS=10 HEIGHT=64 WIDTH=32
# MVP gets no --loss-param and the default metric weight 1: the point is that its defaults work.
# LOSSES may also name "id-only": the control with the ID loss alone (batch-hard at weight 0), and
# "batch-hard-normalized": batch-hard on L2-normalised features (as MVP's defaults), margin 0.3.
# A finished run (one with metrics.json) is skipped, so the script can be re-run to fill in cells.
# Writes the suite's table to $EXP/suite/table and the mean +- std summary to $EXP/summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."
EXP=${EXP:-/tmp/mvpgen}
LOSSES=${LOSSES:-"batch-hard mvp"}
NOISES=${NOISES:-"0 0.2"}
SEEDS=${SEEDS:-"1 2 3"}
IDENTITIES=${IDENTITIES:-160}
EPOCHS=${EPOCHS:-10}
HEIGHT=${HEIGHT:-64}
WIDTH=${WIDTH:-32}
JAR=${JAR:-training-job/target/training-job.jar}
[ -f "$JAR" ] || { echo "error: $JAR is missing; build it: ./mvnw -B -q -pl training-job -am package -DskipTests" >&2; exit 2; }
# The budget shared by both losses (the project's shared 2-core CPU machine).
COMMON=(--id-loss --backbone small --height "$HEIGHT" --width "$WIDTH" --p 16 --k 4 --lr 1e-3 --warmup-epochs 1
        --epochs "$EPOCHS" --eval-every 5 --val-identities 16 --device cpu)
mkdir -p "$EXP/runs"
MODELS=()
for noise in $NOISES; do
  data="$EXP/randomized$IDENTITIES-noise$noise"
  [ -f "$data/synth.json" ] || java -jar "$JAR" synth --preset randomized --identities "$IDENTITIES" \
      --label-noise "$noise" --out "$data"
  for loss in $LOSSES; do
    for seed in $SEEDS; do
      name="$loss-noise$noise-s$seed"
      run="$EXP/runs/$name"
      if [ ! -f "$run/metrics.json" ]; then
        rm -rf "$run"
        echo "== $run"
        train_loss=$loss
        extra=()
        [ "$loss" = id-only ] && { train_loss=batch-hard; extra=(--id-loss-weight 0); }
        [ "$loss" = batch-hard-normalized ] && { train_loss=batch-hard; extra=(--loss-param normalize=true); }
        java -jar "$JAR" train --data "$data" --loss "$train_loss" --seed "$seed" "${COMMON[@]}" "${extra[@]}" \
          --out "$run" > "$run.out" 2>&1
      fi
      MODELS+=("$name=$run/artifact.zip")
    done
  done
done
JAR="$JAR" benchmarks/generalisation-suite.sh -o "$EXP/suite" "${MODELS[@]}"
python3 benchmarks/suite_summary.py "$EXP/suite/table" | tee "$EXP/summary.md"
