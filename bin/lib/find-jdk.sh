# Sourced by Jux's scripts: sets JAVA_HOME to a JDK >= 25 or exits with a clear message.
# Order: $JAVA_HOME if it is new enough, then the newest JDK in the system's JVM folder.
# Shell builtins only where it can: bin/jux runs this before every guest program, and each
# command it starts costs ~1 ms (docs/design.md, "Start-up").

jux_java_major() {  # sets jux_major to the feature version of the JDK at $1, or to nothing
  local v='' line
  # The JDK's release file says it without starting a JVM (which would cost ~80 ms per run).
  if [ -f "$1/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in
        JAVA_VERSION=*) v=${line#JAVA_VERSION=}; v=${v//\"/}; break ;;
      esac
    done <"$1/release"
  fi
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  case "$v" in 1.*) v=${v#1.} ;; esac
  jux_major=${v%%[!0-9]*}
}

jux_find_jdk() {
  local candidate best='' best_major=0 jux_major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    jux_java_major "$JAVA_HOME"
    if [ -n "$jux_major" ] && [ "$jux_major" -ge 25 ]; then return 0; fi
  fi
  for candidate in /usr/lib/jvm/*/; do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    jux_java_major "$candidate"
    if [ -n "$jux_major" ] && [ "$jux_major" -ge 25 ] && [ "$jux_major" -gt "$best_major" ]; then
      best=$candidate best_major=$jux_major
    fi
  done
  if [ -n "$best" ]; then JAVA_HOME=$best; export JAVA_HOME; return 0; fi
  echo "jux: no JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm)." >&2
  echo "jux: install one (e.g. a Temurin 25 JDK under /usr/lib/jvm) or set JAVA_HOME to it." >&2
  exit 1
}
jux_find_jdk
