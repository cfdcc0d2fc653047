#!/usr/bin/env bash
# Producer benchmarks: DocMNIST generation (no Kafka) and produce throughput to an embedded broker.
# Usage: producers/bench.sh [images=20000] [complexity=8]    (run from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl producers test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/producers/target/bench.classpath"
exec java -Xmx2g -cp "producers/target/test-classes:producers/target/classes:$(cat producers/target/bench.classpath)" \
  io.villa.producers.bench.ProducersBench "$@"
