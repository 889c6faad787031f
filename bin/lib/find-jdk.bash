# Sourced by bin/builder, bin/sev-snp-measure and bin/find-jdk: sourcing rather than running
# bin/find-jdk saves each launch a bash start (about 2 ms). find_jdk sets $jdk to the home of a
# JDK 25 or newer: $JAVA_HOME if it is one, else /usr/lib/jvm/temurin-25*; it returns 2 with a
# message naming what it looked at when there is none.

# Sets $major to the feature version of the JDK at $1. Its release file names the version:
# reading it is much cheaper than starting the JVM, which is the fallback.
jdk_major() {
    local line
    major=
    if [[ -f "$1/release" ]]; then
        while IFS= read -r line; do
            if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then major=${BASH_REMATCH[1]}; return; fi
        done < "$1/release"
    fi
    major=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
}

find_jdk() {
    local d major
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
        jdk_major "$JAVA_HOME"
        if (( ${major:-0} >= 25 )); then
            jdk=$JAVA_HOME
            return 0
        fi
    fi
    for d in /usr/lib/jvm/temurin-25*; do
        if [[ -x "$d/bin/java" ]]; then
            jdk=$d
            return 0
        fi
    done
    echo "cvmboot: needs a JDK 25 or newer: set JAVA_HOME to one (JAVA_HOME=${JAVA_HOME:-unset}; none under /usr/lib/jvm/temurin-25*)" >&2
    return 2
}
