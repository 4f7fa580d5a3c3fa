# inotify-tools' inotifywait follows a directory (inotify_add_watch on it, then reads events)
# while this script makes, writes, renames and removes files in it.
rm -rf watched events.txt && mkdir watched
inotifywait -m -q -e create,close_write,moved_from,moved_to,delete,delete_self --format '%e %f' watched >> events.txt 2> watch.err &
pid=$!
# -q hides "Watches established": make and remove a marker until inotifywait reports it, and
# wait for that marker's own DELETE, so that no marker event comes after the truncation.
i=0
while [ $i -lt 20 ]; do
  touch watched/m$i; rm -f watched/m$i
  j=0
  while [ $j -lt 5 ] && ! grep -q "DELETE m$i" events.txt; do sleep 0.1; j=$((j + 1)); done
  grep -q "DELETE m$i" events.txt && break
  i=$((i + 1))
done
: > events.txt   # inotifywait appends (>>), so it goes on at the new end
echo one > watched/a
mkdir watched/sub
mv watched/a watched/b
rm watched/b
rmdir watched/sub
i=0
while [ $i -lt 50 ] && ! grep -q 'DELETE,ISDIR sub' events.txt; do sleep 0.1; i=$((i + 1)); done
kill $pid
wait $pid 2>/dev/null
cat events.txt
rm -rf watched events.txt watch.err
