# The training run of Jux's AOT cache (bin/lib/aot-cache.sh): run by the guest's /bin/sh under
# `jux run --platform interp`, in a few seconds. It exercises what short runs need: the ELF
# loader and ld.so, fork/exec/wait and pipes, a shell, python3 and gcc's cc1 and as (when the
# host has them), and the JIT on a compute loop (sha256sum), so that HotSpot's profiles of
# the interpreter, the JIT's translator and the kernel come from real work.
/bin/true
# /proc: a static program reads /proc/self/exe at start-up, and the lambdas of /proc's
# entries cost ~40 ms when their call sites are not in the cache.
ls /proc /proc/self /proc/sys/kernel >/dev/null
readlink /proc/self/exe >/dev/null
cat /proc/self/stat /proc/self/status /proc/self/maps /proc/cpuinfo /proc/meminfo >/dev/null
echo x | cat >/dev/null
bash -c 'for i in 1 2 3; do echo $i; done; i=0; while [ $i -lt 200 ]; do i=$((i+1)); done' >/dev/null
if command -v python3 >/dev/null; then python3 -c 'print(sum(range(1000)))' >/dev/null; fi
if command -v gcc >/dev/null; then
  printf 'int f(int x) { return x * 3; }\nint main(void) { return f(1) - 3; }\n' >/tmp/jux-training.c &&
    gcc -O2 -c -o /tmp/jux-training.o /tmp/jux-training.c
fi
head -c 1048576 /dev/zero | sha256sum >/dev/null
# A missing program above is not a failed training.
exit 0
