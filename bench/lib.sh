#!/usr/bin/env bash
# Shared by the benchmark scripts (sourced, not run): JDK selection, wrk, and running a bench module's
# main on its Maven classpath. Every script runs from the repository root.

# A JDK 21+ (Helidon 4), found as the start command finds it.
# shellcheck source=../scripts/jdk.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/jdk.sh"
use_jdk() {
  select_jdk || { echo "bench: $(no_jdk_message)" >&2; exit 1; }
  use_selected_jdk
}

# wrk drives the HTTP throughput parts (ingest, queries).
require_wrk() {
  command -v wrk >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
  else
    echo "bench: wrk is needed (Debian/Ubuntu: apt-get install wrk)" >&2
    exit 1
  fi
}

# run_main MODULE MAIN_CLASS HEAP [ARGS...]: builds MODULE and what it needs, then runs MAIN_CLASS on its
# classpath with BENCH_OPTS as extra JVM options.
run_main() {
  local module=$1 main=$2 heap=$3 cp
  shift 3
  use_jdk
  # Built in the reactor, nothing installed: the module runs on this tree's jars.
  mvn -q -B -ntp -pl "$module" -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt
  cp="$module/target/classes:$(cat "$module/target/classpath.txt")"
  # shellcheck disable=SC2086
  exec "$JAVA_HOME/bin/java" "-Xmx$heap" --enable-native-access=ALL-UNNAMED \
    -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager ${BENCH_OPTS:-} \
    -cp "$cp" "$main" "$@"
}
