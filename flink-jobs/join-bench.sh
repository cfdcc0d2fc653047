#!/usr/bin/env bash
# Join benchmark: the real join job, bounded, in a local MiniCluster on the embedded broker; studies with
# their images and reports pre-loaded in the feed topics. Prints pairs/s over the job's run time.
#   flink-jobs/join-bench.sh [studies=2000] [imagesPerStudy=2] [imageSide=256]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -o -pl flink-jobs -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$root/flink-jobs/target/bench-classpath.txt" -Dmdep.includeScope=test >&2
exec java -Xmx4g \
  -Dlogback.configurationFile=flink-jobs/src/test/resources/logback-test.xml \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  -cp "flink-jobs/target/test-classes:flink-jobs/target/classes:$(cat flink-jobs/target/bench-classpath.txt)" \
  io.villa.flink.join.JoinBenchmark "$@"
