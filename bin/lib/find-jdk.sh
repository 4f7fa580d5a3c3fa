# Sourced by Jux's scripts: sets JAVA_HOME to a JDK >= 25 or exits with a clear message.
# Order: $JAVA_HOME if it is new enough, then the newest JDK in the system's JVM folder.

jux_java_major() {  # prints the feature version of the JDK at $1, or nothing
  local v
  # The JDK's release file says it without starting a JVM (which would cost ~80 ms per run).
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9.]*\).*/\1/p' "$1/release")
    v=${v%%.*}
  fi
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  case "$v" in 1.*) echo "${v#1.}" ;; *) echo "$v" ;; esac
}

jux_find_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(jux_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    major=$(jux_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then JAVA_HOME=$candidate; export JAVA_HOME; return 0; fi
  done
  echo "jux: no JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm)." >&2
  echo "jux: install one (e.g. a Temurin 25 JDK under /usr/lib/jvm) or set JAVA_HOME to it." >&2
  exit 1
}
jux_find_jdk
