# python3's http.server and urllib over Jux's loopback network, in one process: a threaded
# HTTP server on 127.0.0.1 port 0, GET and POST through urllib (by address and by the name
# "localhost" from /etc/hosts), a socketserver UDP echo on ::1, and a refused connection.
import http.server, socket, socketserver, threading, urllib.request, urllib.error

class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.reply(("GET " + self.path).encode())

    def do_POST(self):
        data = self.rfile.read(int(self.headers["Content-Length"]))
        self.reply(b"POST " + data[::-1])

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
host, port = server.server_address
print("server on", host, "port in ephemeral range:", 32768 <= port <= 60999)
threading.Thread(target=server.serve_forever, daemon=True).start()
for name in ("127.0.0.1", "localhost"):
    with urllib.request.urlopen("http://%s:%d/a/b?c=d" % (name, port), timeout=20) as r:
        print(name, r.status, r.read().decode())
req = urllib.request.Request("http://127.0.0.1:%d/" % port, data=b"x" * 100000 + b"end", method="POST")
with urllib.request.urlopen(req, timeout=20) as r:
    body = r.read()
    print("POST", r.status, len(body), body[:8])
server.shutdown()
server.server_close()
try:
    urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=20)
except urllib.error.URLError as e:
    print("after close:", type(e.reason).__name__)

class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(data.upper(), self.client_address)

class UDP6(socketserver.UDPServer):
    address_family = socket.AF_INET6

udp = UDP6(("::1", 0), Echo)
threading.Thread(target=udp.serve_forever, daemon=True).start()
c = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
c.settimeout(20)
c.sendto(b"datagram", udp.server_address[:2])
data, addr = c.recvfrom(100)
print("udp6", data, addr[0], addr[1] == udp.server_address[1])
udp.shutdown()
print("localhost resolves to", sorted({a[4][0] for a in socket.getaddrinfo("localhost", 80, socket.AF_INET)}))
