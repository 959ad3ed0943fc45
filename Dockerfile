# Build: the Maven wrapper downloads Maven itself, so a JDK is all this stage needs.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
# Dependencies in their own layer, so a source change does not download them again.
RUN ./mvnw -B -q dependency:go-offline
COPY application.properties ./
COPY src/ src/
RUN ./mvnw -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# Fixed ids, so volume and Kubernetes securityContext settings can name them.
RUN groupadd --system --gid 10001 ingest \
 && useradd --system --uid 10001 --gid ingest --home-dir /app --no-create-home --shell /usr/sbin/nologin ingest
WORKDIR /app
COPY --from=build /src/target/ingest-router.jar ./ingest-router.jar
# The app reads ./application.properties over the copy in the jar: mount a file here to change defaults.
COPY application.properties ./
# Embedded mode keeps H2 under ./data; the user must own it.
RUN mkdir data && chown ingest:ingest data
USER 10001
# 8080: ingress, read API, /health, /metrics. 8778: /observe/jolokia, /observe/health, /observe/metrics,
# bound to 127.0.0.1 unless INGEST_MANAGEMENT_HOST says otherwise.
EXPOSE 8080 8778
# The heap follows the container's memory limit; override with JAVA_TOOL_OPTIONS.
# TieredStopAtLevel=1 (C1 only): on 2 cores C2's compiler threads took about half a core through the
# drains, and the app is CPU-bound there; C1-only drained payments ~1.5x faster, started on a full
# queue and warm (docs/performance.md). On 4+ cores, drop it and measure.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:TieredStopAtLevel=1"
# Camel JBang runs on a developer's host and attaches through ~/.camel of the same machine: nothing in
# the container can use it, and its status file would hold the resolved settings.
ENV INGEST_CLI_ENABLED=false
# curl ships in the Temurin Ubuntu images. /health is 503 while a dependency is down: "unhealthy" then
# means "not serving", which is what compose's depends_on and an operator want to see.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS -o /dev/null http://localhost:8080/health || exit 1
# Exec form: java is PID 1 and gets SIGTERM, so Camel's graceful shutdown runs.
ENTRYPOINT ["java", "-jar", "/app/ingest-router.jar"]
