#!/bin/sh
# GNU screen, driven from outside: a detached session (-dmS) whose window echoes what "stuff"
# types, hardcopy of the window to a file, then quit. Waits poll hardcopy, so nothing depends
# on timing. Prints only what is the same on every run.
dir=$(mktemp -d /tmp/juxscreen.XXXXXX) || exit 1
export SCREENDIR=$dir/sockets TERM=xterm
mkdir -m 700 "$SCREENDIR"
# window_has N TEXT: waits until the window shows at least N lines holding TEXT.
window_has() {
    i=0
    while :; do
        rm -f "$dir/copy"
        screen -S juxtest -X hardcopy "$dir/copy" >/dev/null 2>&1  # "No screen session found." goes to stdout
        [ -f "$dir/copy" ] && [ "$(grep -c "$2" "$dir/copy")" -ge "$1" ] && return 0
        i=$((i + 1))
        if [ $i -gt 150 ]; then echo "gave up waiting for $1 x '$2'; window:"; cat "$dir/copy"; return 1; fi
        sleep 0.2
    done
}
screen -dmS juxtest sh -c 'echo hello from screen; stty size; tty | sed "s/[0-9]*$/N/"; exec cat'
echo "screen -dm: $?"
window_has 1 '/dev/pts/N'
screen -S juxtest -X stuff 'typed line\n'
echo "stuff: $?"
window_has 2 'typed line'
echo "--- window"
grep -v '^ *$' "$dir/copy"
echo "---"
screen -S juxtest -X quit
echo "quit: $?"
i=0
while screen -ls >/dev/null 2>&1 && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.2; done
screen -ls >/dev/null 2>&1
echo "screen -ls after quit: $?"
rm -rf "$dir"
