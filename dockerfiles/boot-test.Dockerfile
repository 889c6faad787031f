# The boot-test image: QEMU (TCG), OVMF, swtpm and a JDK 25, for the Testcontainers boot tests and
# for `builder boot` on machines without these packages. Pinned by digest (see builder.Dockerfile).
#   docker build -f dockerfiles/boot-test.Dockerfile -t cvmboot-boot-test .
FROM eclipse-temurin:25-jdk@sha256:8c0a84ea11c8f6ed52600fc19f1040121f2a162998e9f50a5faebbbad9172dcc AS jdk

FROM debian:bookworm-slim@sha256:3783cc01769c7b2b1b83a5c5ad96c815348e28ed7da68e2e3687004faa906251
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      qemu-system-x86 ovmf swtpm swtpm-tools tpm2-tools busybox-static ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=jdk /opt/java/openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:$PATH
WORKDIR /work
# Artefacts are mounted at /work/out; the test harness runs qemu-system-x86_64 -accel tcg here.
CMD ["qemu-system-x86_64", "--version"]
