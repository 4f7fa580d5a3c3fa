#!/bin/sh
# tmux, driven from outside as a script would: a detached server on a 80x24 pseudo-terminal, its
# pane echoing what send-keys types, capture-pane, split-window, resize, then kill-server. Waits
# poll capture-pane, so nothing depends on timing. Prints only what is the same on every run.
dir=$(mktemp -d /tmp/juxtmux.XXXXXX) || exit 1
S=$dir/socket
export TERM=xterm
# pane_has N TEXT: waits until pane 0 shows at least N lines holding TEXT.
pane_has() {
    i=0
    while [ "$(tmux -S "$S" capture-pane -p -t 0.0 | grep -c "$2")" -lt "$1" ]; do
        i=$((i + 1))
        if [ $i -gt 150 ]; then echo "gave up waiting for $1 x '$2'; pane:"; tmux -S "$S" capture-pane -p -t 0.0; return 1; fi
        sleep 0.2
    done
}
tmux -S "$S" new-session -d -x 80 -y 24 -s juxtest 'echo hello from the pane; stty size; tty | sed "s/[0-9]*$/N/"; exec cat'
echo "new-session: $?"
pane_has 1 'hello from the pane'
pane_has 1 '/dev/pts/N'
tmux -S "$S" send-keys -t 0.0 'typed line' Enter
echo "send-keys: $?"
pane_has 2 'typed line'
echo "--- pane 0"
tmux -S "$S" capture-pane -p -t 0.0 | grep -v '^$'
echo "---"
tmux -S "$S" display-message -p '#{session_name} #{window_width}x#{window_height} #{pane_current_command}'
tmux -S "$S" split-window -h -t juxtest 'echo right pane; exec cat'
tmux -S "$S" list-panes -t juxtest -F '#{pane_index} #{pane_width}x#{pane_height}'
tmux -S "$S" resize-window -t juxtest -x 100 -y 30
tmux -S "$S" list-panes -t juxtest -F '#{pane_index} #{pane_width}x#{pane_height}'
tmux -S "$S" kill-server
echo "kill-server: $?"
tmux -S "$S" has-session 2>/dev/null
echo "has-session after kill-server: $?"
rm -rf "$dir"
