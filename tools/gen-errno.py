#!/usr/bin/env python3
"""Generates the constant list of src/main/java/dev/jux/abi/Errno.java.

Numbers come from <asm-generic/errno-base.h> and <asm-generic/errno.h> (aliases such as
EWOULDBLOCK are skipped: one constant per number); messages are glibc's strerror(), which is
what strace prints after the name. Paste the output over the constants in Errno.java.
"""
import ctypes, re

libc = ctypes.CDLL('libc.so.6')
libc.strerror.restype = ctypes.c_char_p
seen = set()
for header in ('/usr/include/asm-generic/errno-base.h', '/usr/include/asm-generic/errno.h'):
    for name, number in re.findall(r'#define\s+(E\w+)\s+(\d+)', open(header).read()):
        n = int(number)
        if n in seen:
            continue
        seen.add(n)
        msg = libc.strerror(n).decode()
        print('    %s(%d, "%s"),' % (name, n, msg.replace('"', '\\"')))
