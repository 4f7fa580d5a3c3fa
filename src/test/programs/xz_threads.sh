# xz -T2 under Jux: a generated 4.5 MB file in 1 MiB blocks (so both threads compress),
# decompressed with two threads again and compared; the archive's checksum must match a native run.
set -e
seq 1 600000 > data.txt
xz -T2 --block-size=1MiB -6 -k -f data.txt
xz -T2 -d -c data.txt.xz | cmp - data.txt
echo "round trip ok"
xz -l data.txt.xz | awk 'NR==2 {print "blocks", $2}'
sha256sum data.txt.xz | cut -d" " -f1
rm -f data.txt data.txt.xz
