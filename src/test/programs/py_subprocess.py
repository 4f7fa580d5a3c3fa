import json
import os
import subprocess
import sys

print(json.dumps({"answer": 42, "list": [1, 2, 3]}, sort_keys=True))
print("cwd is absolute:", os.path.isabs(os.getcwd()))
r = subprocess.run(["/bin/echo", "from a subprocess"], capture_output=True, text=True)
print("subprocess:", r.returncode, r.stdout.strip())
r = subprocess.run("exit 5", shell=True)
print("shell exit:", r.returncode)
p = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out, _ = p.communicate(b"through a pipe\n")
print("communicate:", out.decode().strip(), p.returncode)
print("pid > 0:", os.getpid() > 0)
sys.exit(3)
