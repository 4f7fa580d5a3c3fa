# Python's socket module on AF_UNIX: socketpair across fork, a listening server in a
# temporary directory, fd passing with socket.send_fds, and multiprocessing.Pool(2), whose
# workers talk to the parent over pipes and sockets.
import multiprocessing
import os
import socket
import tempfile


def square(x):
    return x * x


a, b = socket.socketpair()
pid = os.fork()
if pid == 0:
    a.close()
    data = b.recv(100)
    b.sendall(data.upper())
    os._exit(0)
b.close()
a.sendall(b"ping from python")
print("socketpair:", a.recv(100).decode())
os.waitpid(pid, 0)
a.close()

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "srv")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(4)
    print("bound:", os.path.basename(srv.getsockname()))
    pid = os.fork()
    if pid == 0:
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(path)
        c.sendall(b"hello server")
        r, w = os.pipe()
        socket.send_fds(c, [b"fd"], [w])
        os.close(w)
        print("client got:", c.recv(100).decode(), flush=True)
        os._exit(0)
    conn, _ = srv.accept()
    print("server got:", conn.recv(12).decode())
    msg, fds, flags, addr = socket.recv_fds(conn, 10, 4)
    os.write(fds[0], b"written through a passed fd")
    os.close(fds[0])
    conn.sendall(b"goodbye")
    os.waitpid(pid, 0)
    conn.close()
    srv.close()

with multiprocessing.Pool(2) as pool:
    print("pool:", pool.map(square, range(10)))
