# The cvmboot builder image: runs `builder build` (no Docker needed inside, no root needed).
# Base images are pinned by digest; ci/image-digests.sh prints the current digests of the tags
# so that a maintainer can bump them deliberately (docker buildx imagetools inspect).
#   docker build -f dockerfiles/builder.Dockerfile -t cvmboot-builder .
#   docker run --rm -v "$PWD/out:/out" cvmboot-builder build -o /out/artefacts
FROM eclipse-temurin:25-jdk@sha256:8c0a84ea11c8f6ed52600fc19f1040121f2a162998e9f50a5faebbbad9172dcc AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends maven \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Tests run in CI on the host (they boot QEMU); the image only packages the CLI.
RUN mvn -B -ntp -DskipTests package

FROM eclipse-temurin:25-jdk@sha256:8c0a84ea11c8f6ed52600fc19f1040121f2a162998e9f50a5faebbbad9172dcc
RUN useradd --create-home --uid 10001 builder
COPY --from=build /src/builder/target/builder.jar /opt/cvmboot/builder.jar
COPY --from=build /src/builder/target/lib /opt/cvmboot/lib
COPY --from=build /src/stage1 /opt/cvmboot/stage1-dist
ENV SOURCE_DATE_EPOCH=1767225600 TZ=UTC LC_ALL=C.UTF-8
USER builder
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "/opt/cvmboot/builder.jar"]
CMD ["--help"]
