# Sourced by bin/jux: picks how HotSpot shares Jux's classes and warm-up between runs, in the
# array share_opts. Needs root, jar, JAVA_HOME and jvm_opts (the JVM options every run gets).
#
# The AOT cache (JDK 25, JEPs 483/514/515), target/jux.aot: Jux's classes loaded and linked,
# and HotSpot's method profiles, from a training run of a few guest programs under
# --platform interp (bin/lib/aot-training.sh, ~5-10 s, once per build of the jar). A run with
# it starts with those classes ready and lets C2 compile hot methods without profiling them
# again: bash -c and python3 -c take ~15-20% less CPU (docs/platform-interp.md "Numbers").
# Without it (JUX_AOT=0, or when the training failed) the dynamic CDS archive target/jux.jsa is
# used, made by the first run, as before.
#
# Never stale: JDK 25 does not notice that the jar of an AOT cache was rebuilt (it loaded the
# old classes in a test), so target/jux.aot.id records the jar (size, mtime) and the JDK the
# cache was trained with, and the cache is used only while both still match.

aot_cache=$root/target/jux.aot
aot_id_file=$aot_cache.id

# Sets aot_id to one line naming this jar and this JDK: one stat for both (~1 ms; hashing the
# jar would cost more).
jux_aot_id() {
  local sizes
  sizes=$(stat -c '%s %.9Y' "$jar" "$JAVA_HOME/lib/modules" 2>/dev/null) || true
  aot_id="jar+jdk ${sizes//$'\n'/ } $JAVA_HOME"
}

# Sets aot_have to the id the cache was trained for (the first line of aot_id_file), or nothing.
jux_aot_have() {
  aot_have=''
  if [ -f "$aot_id_file" ]; then read -r aot_have <"$aot_id_file" || true; fi
}

# Trains a cache for the current jar into a temporary file and moves it in place. The
# training's output, and the JDK's, go to target/jux.aot.log, never to the terminal.
jux_aot_train() {
  local id=$1 tmp=$aot_cache.$$.tmp log=$root/target/jux.aot.log status=0
  echo "jux: training HotSpot's AOT cache $aot_cache (once per build; JUX_AOT=0 skips it) ..." >&2
  # A fixed environment and working directory: the guest programs must not depend on the
  # user's (a pyenv shim in PATH made python3 four times slower). -XX:AOTCacheOutput records
  # during the run, then starts a second JVM that writes the cache (~2 s).
  (cd / && env -i PATH=/usr/bin:/bin HOME=/ timeout 300 "$JAVA_HOME/bin/java" "${jvm_opts[@]}" \
    -XX:AOTCacheOutput="$tmp" -Xlog:disable -Xlog:all=error:stderr \
    -jar "$jar" run --platform interp -- /bin/sh "$root/bin/lib/aot-training.sh") \
    </dev/null >"$log" 2>&1 || status=$?
  rm -f "$tmp.config"
  # The jar may have been rebuilt while the training ran: then the cache is not this jar's.
  local aot_id  # the jar's id now, in this function only
  jux_aot_id
  if [ "$status" -eq 0 ] && [ -s "$tmp" ] && [ "$aot_id" = "$id" ]; then
    mv -f "$tmp" "$aot_cache" && echo "$id" >"$aot_id_file"
  else
    rm -f "$tmp" "$aot_cache"
    # Not again for this jar: every run would pay for a training that fails.
    echo "failed $id" >"$aot_id_file"
    echo "jux: the AOT cache's training failed (status $status, see $log); using the CDS archive" >&2
  fi
}

share_opts=()
# The JVM refuses to start with -XX:AOTCache and any -Xshare or CDS archive option; one in
# JUX_JAVA_OPTS decides the sharing alone.
case " ${JUX_JAVA_OPTS:-} " in
  *-Xshare:* | *SharedArchiveFile* | *SharedClassListFile* | *DumpLoadedClassList* | *-XX:AOT*)
    share_opts=(-Xlog:disable -Xlog:all=error:stderr) ;;
esac
if [ "${JUX_AOT:-1}" != 0 ] && [ ${#share_opts[@]} -eq 0 ]; then
  jux_aot_id
  jux_aot_have
  if [ "$aot_have" != "$aot_id" ] && [ "$aot_have" != "failed $aot_id" ] && [ -w "$root/target" ]; then
    # One training at a time: several bin/jux started together (make -j) wait for the first
    # one's cache instead of each training its own.
    exec 9>>"$aot_cache.lock"
    command -v flock >/dev/null && flock 9
    jux_aot_have
    if [ "$aot_have" != "$aot_id" ] && [ "$aot_have" != "failed $aot_id" ]; then
      jux_aot_train "$aot_id"
      jux_aot_have
    fi
    exec 9>&-
  fi
  # -Xlog:aot*=off: a cache the JVM cannot map (say, truncated) is skipped with three error
  # lines on stderr, which would land among the guest's output.
  [ "$aot_have" = "$aot_id" ] && [ -f "$aot_cache" ] &&
    share_opts=(-XX:AOTCache="$aot_cache" -Xlog:disable -Xlog:all=error:stderr -Xlog:aot*=off:stderr)
fi
if [ ${#share_opts[@]} -eq 0 ]; then
  share_opts=(-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$root/target/jux.jsa" -Xshare:auto
    -Xlog:disable -Xlog:all=error:stderr)
fi
