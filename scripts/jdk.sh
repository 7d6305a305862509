#!/usr/bin/env bash
# Sourced (not run) by ./wattstream, .ci/run and the benchmark scripts: finds a JDK 21+ (Helidon 4 needs 21).
# Order: JAVA_HOME if it is one, then the java on PATH, then the newest under WATTSTREAM_JDK_DIRS
# (default /usr/lib/jvm). On success JAVA_HOME names it; nothing else changes.

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }

is_jdk21() { [ -x "$1/bin/java" ] && [ "$(java_major "$1/bin/java")" -ge 21 ] 2>/dev/null; }

select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && is_jdk21 "$JAVA_HOME"; then return 0; fi
  if command -v java >/dev/null; then
    local home; home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if is_jdk21 "$home"; then export JAVA_HOME="$home"; return 0; fi
  fi
  local dir
  for dir in $(ls -d ${WATTSTREAM_JDK_DIRS:-/usr/lib/jvm}/* 2>/dev/null | sort -rV); do
    if [ -x "$dir/bin/javac" ] && is_jdk21 "$dir"; then export JAVA_HOME="$dir"; return 0; fi
  done
  return 1
}

# One line for a user whose machine has no JDK 21+.
no_jdk_message() {
  local seen="none"
  command -v java >/dev/null && seen="$(java -version 2>&1 | head -1)"
  echo "needs a JDK 21 or newer and found none (JAVA_HOME=${JAVA_HOME:-unset}; java on PATH: $seen): install one (Debian: apt-get install openjdk-21-jdk-headless) and set JAVA_HOME to it"
}

# Puts the selected JDK first on PATH for Maven and java alike.
use_selected_jdk() {
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's own libraries call sun.misc.Unsafe; JDK 24+ warns about it on every run.
  if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}
