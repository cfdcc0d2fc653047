#!/usr/bin/env bash
# Decomposition benchmark: the real job in a local MiniCluster on the embedded broker with DocMNIST.
# Prints warm-up time, throughput (pairs/s, burst, to committed output) and produce -> region-attribute pair latency
# (p50/p99 at a steady rate, read_committed).
#   flink-jobs/decompose-bench.sh [burstPairs=500] [ratePerSecond=5] [latencySeconds=60] [job options ...]
# e.g. flink-jobs/decompose-bench.sh 500 5 60 --checkpoint-interval 1000
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -o -pl flink-jobs -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$root/flink-jobs/target/bench-classpath.txt" -Dmdep.includeScope=test >&2
exec java -Xmx4g -Dai.djl.offline=true \
  -Dlogback.configurationFile=flink-jobs/src/test/resources/logback-test.xml \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  -cp "flink-jobs/target/test-classes:flink-jobs/target/classes:$(cat flink-jobs/target/bench-classpath.txt)" \
  io.villa.flink.wiring.DecomposeBenchmark "$@"
