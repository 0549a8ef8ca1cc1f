#!/usr/bin/env bash
# The fixed generalisation suite (issue 10): how a model does on synthetic worlds it never saw,
# scored cross-camera (Market-1501 protocol), all in one `evaluate` call.
#   benchmarks/generalisation-suite.sh [-o OUT_DIR] [--record] [[NAME=]ARTIFACT ...]
# --record writes each model's results into its artifact's manifest ('generalisation'), which the
# registry and the service's Models page show (how the bundled model's card numbers got there).
# Default model: models/reid-demo-small-4.zip; several models give one row per model and world.
# Default OUT_DIR: runs/generalisation-suite. Worlds go to OUT_DIR/worlds (kept and reused: they
# are deterministic by seed), the table and CMC plots to OUT_DIR/table.
#
# The bundled models were trained on the `standard` preset with its default seed 1501
# (reid-demo-small-1) and on `randomized` worlds of seeds 4321, 8642 and 9753 (reid-demo-small-4,
# models/README.md);
# every world here uses another seed. Only each world's test half
# (query/ + bounding_box_test/) is kept: the suite never trains on anything.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=runs/generalisation-suite
RECORD=()
while [ $# -gt 0 ]; do
  case "$1" in
    -o) [ $# -ge 2 ] || { echo "error: -o needs a folder" >&2; exit 2; }; OUT=$2; shift 2 ;;
    --record) RECORD=(--record); shift ;;
    *) break ;;
  esac
done
MODELS=("$@")
[ ${#MODELS[@]} -gt 0 ] || MODELS=(models/reid-demo-small-4.zip)
JAR=${JAR:-training-job/target/training-job.jar}
if [ ! -f "$JAR" ]; then
  echo "error: $JAR is missing; build it: ./mvnw -B -q -pl training-job -am package -DskipTests" >&2
  exit 2
fi

# name | synth options. Keep these fixed: the table is only comparable across models and
# over time while the worlds stay the same.
WORLDS=(
  # The service's demo gallery, exactly as DemoGallery seeds it (reid.demo.*: seed 7, 40
  # identities, 6 cameras, 8 crops each, no distractors or junk); its test half is 20 identities.
  "demo-s7|--preset standard --seed 7 --identities 40 --cameras 6 --images-per-identity 8 --distractor-rate 0 --junk-rate 0"
  # The training preset with an unseen seed: new people, new camera set-ups.
  "standard-s2027|--preset standard --seed 2027 --identities 200"
  # The hard preset: look-alikes, strong pose change, dark and low-resolution cameras, occlusion.
  "hard-s4242|--preset hard --seed 4242 --identities 200"
  # Fewer cameras (4), another seed.
  "standard-4cam-s99|--preset standard --seed 99 --identities 200 --cameras 4"
)

DATA=""
for world in "${WORLDS[@]}"; do
  name=${world%%|*}
  opts=${world#*|}
  dir="$OUT/worlds/$name"
  # Reused only when rendered completely (synth.json is written last) with the same options.
  if [ ! -f "$dir/synth.json" ] || [ "$(cat "$dir/suite-options" 2>/dev/null)" != "$opts" ]; then
    rm -rf "$dir"
    # shellcheck disable=SC2086  # opts is a list of options
    java -jar "$JAR" synth --out "$dir" $opts
    rm -rf "$dir/bounding_box_train"
    echo "$opts" > "$dir/suite-options"
  fi
  DATA="${DATA:+$DATA,}$name=$dir"
done

MODEL_ARGS=()
for m in "${MODELS[@]}"; do
  MODEL_ARGS+=(--model "$m")
done
java -jar "$JAR" evaluate "${MODEL_ARGS[@]}" --data "$DATA" --out "$OUT/table" "${RECORD[@]}"
