#!/usr/bin/env bash
# Shared by the benchmark scripts (sourced, not run): JDK selection, wrk, and running a bench module's
# main on its Maven classpath. Every script runs from the repository root.

# A JDK 21+ (Helidon 4): JAVA_HOME if it is one, else the default java, else the newest in /usr/lib/jvm.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }
select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then return 0; fi
  if command -v java >/dev/null && [ "$(java_major java)" -ge 21 ]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")"); export JAVA_HOME; return 0
  fi
  for dir in $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
    if [ -x "$dir/bin/javac" ] && [ "$(java_major "$dir/bin/java")" -ge 21 ]; then export JAVA_HOME="$dir"; return 0; fi
  done
  return 1
}
use_jdk() {
  select_jdk || { echo "bench: no JDK 21+ found; install one and set JAVA_HOME" >&2; exit 1; }
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's own libraries call sun.misc.Unsafe; JDK 24+ warns about it on every run.
  if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
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
  local module=$1 main=$2 heap=$3 cp_file cp
  shift 3
  use_jdk
  mvn -q -B -ntp -pl "$module" -am install -DskipTests
  cp_file="$(mktemp)"
  mvn -q -B -ntp -pl "$module" dependency:build-classpath -Dmdep.outputFile="$cp_file"
  cp="$module/target/classes:$(cat "$cp_file")"
  rm -f "$cp_file"
  # shellcheck disable=SC2086
  exec "$JAVA_HOME/bin/java" "-Xmx$heap" --enable-native-access=ALL-UNNAMED \
    -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager ${BENCH_OPTS:-} \
    -cp "$cp" "$main" "$@"
}
