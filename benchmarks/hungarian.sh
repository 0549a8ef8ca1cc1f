#!/usr/bin/env bash
# Kuhn-Munkres: our Java solver (JMH, one thread) side by side with SciPy's linear_sum_assignment
# (Debian python3-scipy, C++ LAPJV-style solver) on matrices of the same kinds and sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/python3 >/dev/null && /usr/bin/python3 -c 'import scipy' 2>/dev/null \
  || { apt-get update -qq && apt-get install -y -qq python3-scipy python3-numpy; }
./mvnw -B -q -pl benchmarks -am package -DskipTests
java -jar benchmarks/target/benchmarks.jar HungarianBenchmark -t 1
java -cp benchmarks/target/benchmarks.jar org.reid.benchmarks.HungarianTiming
/usr/bin/python3 benchmarks/hungarian_scipy.py
