#!/usr/bin/env bash
# The bundled model reid-demo-small-4 (issue 10, part 3; models/README.md): the small network
# trained in three stages on three camera-randomised synthetic worlds that no suite world uses, with
# MVP's defaults plus the ID loss, then scored beside the first bundled model on the
# generalisation suite.
#   stage 1 (reid-demo-small-2): world seed 4321, 750 identities, 30 epochs from random weights,
#            about 15 minutes on an idle 2-core machine (5 steps/s of 64 crops at 128x64);
#   stage 2 (reid-demo-small-3): world seed 8642, 1,500 identities, 24 epochs fine-tuning stage 1
#            (--init-from) at half the learning rate, about 15 minutes idle; the run keeps the epoch
#            that validates best on its own world's held-out identities (epoch 6 in ours);
#   stage 3 (reid-demo-small-4): world seed 9753, 1,500 identities with more look-alikes (0.5) and
#            pose change (0.7), 6 epochs fine-tuning stage 2, lr 5e-4, validation at epochs 3 and 6
#            (6 kept), about 5 minutes idle.
#   benchmarks/train-bundled-model.sh [OUT_DIR]      (default runs/bundled-model)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/bundled-model}
JAR=training-job/target/training-job.jar
[ -f "$JAR" ] || ./mvnw -B -q -pl training-job -am package -DskipTests
mkdir -p "$OUT"
TRAIN=(java -Dai.djl.offline=true -jar "$JAR" train --loss mvp --id-loss --device cpu
  --model-name reid-demo-small)

[ -f "$OUT/world1/synth.json" ] || java -jar "$JAR" synth --out "$OUT/world1" --preset randomized \
  --identities 750 --seed 4321
[ -f "$OUT/stage1/artifact.zip" ] || "${TRAIN[@]}" --data "$OUT/world1" --epochs 30 --eval-every 5 --lr 1e-3 --seed 1 \
  --model-version 2 --out "$OUT/stage1"

[ -f "$OUT/world2/synth.json" ] || java -jar "$JAR" synth --out "$OUT/world2" --preset randomized \
  --identities 1500 --seed 8642
[ -f "$OUT/stage2/artifact.zip" ] || "${TRAIN[@]}" --data "$OUT/world2" --epochs 24 --eval-every 6 --lr 5e-4 --seed 2 --init-from "$OUT/stage1/artifact.zip" \
  --model-version 3 --out "$OUT/stage2"

[ -f "$OUT/world3/synth.json" ] || java -jar "$JAR" synth --out "$OUT/world3" --preset randomized \
  --identities 1500 --seed 9753 --look-alike-fraction 0.5 --pose-change 0.7
"${TRAIN[@]}" --data "$OUT/world3" --epochs 6 --eval-every 3 --lr 5e-4 --seed 3 --init-from "$OUT/stage2/artifact.zip" \
  --model-version 4 --out "$OUT/stage3"

JAR=$JAR benchmarks/generalisation-suite.sh -o "$OUT/suite" reid-demo-small-1=models/reid-demo-small-1.zip \
  new=$OUT/stage3/artifact.zip
