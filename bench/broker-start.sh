#!/usr/bin/env bash
# Measures how long `villa broker` takes from process start until it prints its bootstrap address
# (the broker is then ready: topics created, clients served). Runs it N times (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jar=cli/target/villa-cli.jar
[ -f "$jar" ] || mvn -B -q -ntp install -DskipTests -Dcheckstyle.skip -Dspotless.check.skip=true
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  out=$(mktemp)
  java -Dai.djl.offline=true -jar "$jar" broker --port 0 >"$out" 2>&1 &
  pid=$!
  until grep -q '^bootstrap:' "$out"; do sleep 0.02; done
  end=$(date +%s%N)
  echo "run $i: $(( (end - start) / 1000000 )) ms to ready ($(grep -o 'ready at .* in [0-9]* ms' "$out" | sed 's/.* in /broker itself: /'))"
  kill -TERM $pid; wait $pid 2>/dev/null || true
  rm -f "$out"
done
