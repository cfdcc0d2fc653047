#!/usr/bin/env bash
# Mapping-model benchmark on DocMNIST (train budget 30,000, complexity 16, seed 23 by default): validation F1 against
# TRAIN images seen, wall time, per-attribute precision/recall and per-type precision/recall/F1. Needs the MNIST
# cache (villa data mnist). Another DocMNIST seed: JAVA_TOOL_OPTIONS=-Dvilla.docmnist.seed=N.
# Usage: flink-jobs/mapping-bench.sh [trainBudget] [complexity] [encoder] [passes] [batch] [valBudget] [warmupPairs warmupSteps] [lr]
set -euo pipefail
cd "$(dirname "$0")/.."
# -am: the reactor's own modules (producers' DocMNIST above all), never older copies in the local repository
mvn -B -q -o -pl flink-jobs -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/flink-jobs/target/bench.classpath"
if [ $# -eq 0 ]; then set -- 30000 16 conv 32 64 10000 512 100; fi
exec java -Dai.djl.offline=true -Xmx3g -cp "$(cat flink-jobs/target/bench.classpath):flink-jobs/target/classes:flink-jobs/target/test-classes" \
  io.villa.flink.bench.MappingBenchmark "$@"
