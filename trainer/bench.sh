#!/usr/bin/env bash
# The trainer's benchmark (figures: BENCHMARKS.md, "Trainer"):
#   villa vs clip on DocMNIST (oracle decomposition of the generator's ground truth) on equal budgets: the same passes
#   over the same pairs, early stopping on validation; regions/s fed from Kafka (embedded broker) vs from memory in the
#   same run; peak memory.
#
#   trainer/bench.sh [passes per mode=10; 0 = skip] [batch=64] [throughput steps per run=400; 0 = skip] [train budget=30000]
#                    [validation budget=10000] [target complexity=16] [PyTorch threads=0: all cores] [patience=5]
#                    [throughput rounds=3]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cp_file="$root/trainer/target/bench-classpath.txt"
mvn -B -q -ntp ${MVN_ARGS:-} -pl trainer test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" >&2
exec java -Xmx6g -Dai.djl.offline=true \
  -cp "$root/trainer/target/test-classes:$root/trainer/target/classes:$(cat "$cp_file")" \
  io.villa.trainer.bench.TrainerBench "$@"
