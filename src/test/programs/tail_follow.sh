# tail -f (coreutils) follows a file through inotify: with -s 30 the polling fallback would not
# see the second line for 30 seconds, so the line arriving within 5 s shows the watch worked.
echo one > followed.txt
tail -s 30 -f followed.txt > tail.out &
pid=$!
sleep 0.5
echo two >> followed.txt
i=0
while [ $i -lt 50 ] && ! grep -q two tail.out; do sleep 0.1; i=$((i + 1)); done
kill $pid
wait $pid 2>/dev/null
cat tail.out
rm -f followed.txt tail.out
