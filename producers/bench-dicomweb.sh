#!/usr/bin/env bash
# Instances/s from a PACS: a real Orthanc (orthanc, orthanc-dicomweb) with DCMTK-written images (dcmtk), followed into
# an embedded broker. Usage: producers/bench-dicomweb.sh [small=200] [large=20]    (run from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl producers -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/producers/target/bench.classpath"
exec java -Xmx2g -cp "producers/target/test-classes:producers/target/classes:$(cat producers/target/bench.classpath)" \
  io.villa.producers.bench.DicomWebBench "$@"
