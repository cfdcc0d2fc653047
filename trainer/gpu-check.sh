#!/usr/bin/env bash
# GPU check for the trainer: a short training run on the GPU and then on the CPU, printing what DJL found, regions/s
# for each and each device's memory with its peak (the GPU's read after every step).
#
#   trainer/gpu-check.sh                 # from a fresh checkout, on a Linux x86_64 machine with an NVIDIA GPU
#   STEPS=300 BATCH=256 trainer/gpu-check.sh
#
# Needs Java 17, Maven, an NVIDIA driver for CUDA 12.4 or newer and the CUDA 12 runtime library libcudart (DJL
# counts GPUs through it: `ldconfig -p | grep libcudart.so.12`). Only Maven dependencies are downloaded
# (the first build fetches the CUDA build of PyTorch, about 2.5 GB); nothing at run time. The data are
# synthetic crops made in memory. Uses Maven's profile "gpu" (root pom.xml): DJL 0.33.0 with
# pytorch-native-cu124 2.5.1, because Maven Central has no CUDA build of PyTorch 2.7.1 (DJL 0.36's).
# The first run also unpacks the native libraries into ~/.djl.ai (minutes for the CUDA build).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cp_file="$root/trainer/target/gpu-classpath.txt"

profile="${PROFILE:-gpu}"   # PROFILE='!gpu' runs the same check on the CPU build (to test this script without a GPU)
echo "gpu-check: building the trainer with -P$profile ..." >&2
mvn -B -q -ntp ${MVN_ARGS:-} -P "$profile" -pl trainer -am -Dmaven.test.skip=true package \
    dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file" >&2

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi not found" >&2

exec java -Xmx4g -Dai.djl.offline=true \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  -cp "$root/trainer/target/classes:$(cat "$cp_file")" \
  io.villa.trainer.bench.GpuCheck "${STEPS:-300}" "${BATCH:-256}" "${THREADS:-0}"
