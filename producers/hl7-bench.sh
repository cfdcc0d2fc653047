#!/usr/bin/env bash
# HL7 listener benchmark: ORU^R01 messages/s with ACK (after Kafka's acknowledgement) against an embedded broker.
# Usage: producers/hl7-bench.sh [messages=2000] [senders=4]    (run from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl producers -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/producers/target/bench.classpath"
exec java -Xmx1g -cp "producers/target/test-classes:producers/target/classes:$(cat producers/target/bench.classpath)" \
  io.villa.producers.hl7.Hl7Bench "$@"
