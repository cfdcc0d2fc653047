#!/usr/bin/env bash
# Hospital simulator benchmark: DocMNIST to a real Orthanc (STOW-RS) and a real MLLP server (HAPI), alone and together.
# Needs the Debian packages orthanc, orthanc-dicomweb and dcmtk.
# Usage: producers/simulate-bench.sh [train-budget=2000] [complexity=8]    (run from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl producers -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/producers/target/bench.classpath"
exec java -Xmx1g -cp "producers/target/test-classes:producers/target/classes:$(cat producers/target/bench.classpath)" \
  io.villa.producers.simulator.HospitalSimulatorBench "$@"
