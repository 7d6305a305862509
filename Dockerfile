# One multi-stage Dockerfile builds the image of each Wattstream service; docker-compose.yml picks
# the service with the MODULE and MAIN_CLASS build arguments (gateway, streams-processor, query-api).
# Stage 1 builds the module and copies its runtime dependencies; stage 2 is a JRE 21 runtime that runs
# it as a non-root user.

FROM maven:3.9.11-eclipse-temurin-21 AS build
ARG MODULE
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -ntp -pl "${MODULE}" -am -DskipTests install \
    && mvn -B -q -ntp -pl "${MODULE}" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib \
    && cp "${MODULE}"/target/"${MODULE}"-*.jar "${MODULE}"/target/lib/

FROM eclipse-temurin:21-jre
ARG MODULE
ARG MAIN_CLASS
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app wattstream \
    && mkdir -p /app/data && chown wattstream /app/data
WORKDIR /app
COPY --from=build /src/${MODULE}/target/lib/ /app/lib/
ENV MAIN_CLASS=${MAIN_CLASS} \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager"
USER 10001
ENTRYPOINT ["sh", "-c", "exec java -cp '/app/lib/*' \"$MAIN_CLASS\""]
