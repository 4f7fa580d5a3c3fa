#!/bin/bash
# The bash features the real-program test exercises under Jux; output must not depend on
# pids, times or the machine.
set -u
echo "start $#: $*"

# pipelines with external programs and builtins
printf '%s\n' cherry apple banana | sort | tr a-z A-Z | head -n 2
seq 1 100 | awk '{ s += $1 } END { print "sum", s }'
echo "pipestatus:" $(false | true; echo "${PIPESTATUS[@]}")

# subshells and command substitution
x=outer
(x=inner; echo "in subshell: $x")
echo "after subshell: $x"
n=$(ls / | wc -l)
[ "$n" -gt 3 ] && echo "ls / has more than 3 entries"
echo "nested: $(echo "a $(echo b $(echo c))")"

# here-documents and here-strings
cat <<END
here-doc line 1, x=$x
here-doc line 2
END
cat <<'END'
quoted $x stays
END
tr a-z A-Z <<< "here-string"

# functions, arithmetic, redirections to files
f() { local v=$1; echo $((v * v)); }
echo "square: $(f 12)"
tmp=$(mktemp -d)
echo "to a file" > "$tmp/out"
echo "appended" >> "$tmp/out"
wc -l < "$tmp/out"
exec 3< "$tmp/out"; read -r first <&3; exec 3<&-; echo "fd 3 read: $first"

# trap on EXIT of a subshell, and on a signal
( trap 'echo "subshell exit trap"' EXIT; echo "in trapped subshell" )
trap 'echo "got USR1"' USR1
kill -USR1 $$
trap - USR1

# background jobs and wait
for i in 1 2 3; do
  (sleep 0.$i; echo "job $i done" > "$tmp/job$i") &
done
wait
cat "$tmp"/job1 "$tmp"/job2 "$tmp"/job3
sleep 5 &
victim=$!
kill $victim
wait $victim
echo "killed job status: $?"
(exit 7) &
wait $!
echo "background exit status: $?"

# process substitution (/dev/fd/63 is a pipe), here-strings read through /dev/stdin
diff <(printf 'a\nb\n') <(printf 'a\nc\n'); echo "diff status: $?"
while read -r line; do echo "substituted: $line"; done < <(echo one; echo two)
cat /dev/stdin <<< "here-string via /dev/stdin"

# exit statuses of external commands
grep -q nothing-like-this /etc/os-release; echo "grep status: $?"
/bin/sh -c 'exit 3'; echo "sh status: $?"
rm -r "$tmp"
echo end
