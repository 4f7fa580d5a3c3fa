# 100 Python threads: a lock-protected counter, a queue handing work back, a condition, events.
import queue
import threading

N = 100
counter = 0
lock = threading.Lock()
results = queue.Queue()
start = threading.Event()
barrier = threading.Barrier(N)


def work(i):
    global counter
    start.wait()
    for _ in range(500):
        with lock:
            counter += 1
    barrier.wait()
    results.put((i, sum(range(i * 1000))))


threads = [threading.Thread(target=work, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
start.set()
for t in threads:
    t.join()
got = sorted(results.get() for _ in range(N))
print("counter", counter)
print("results", len(got), sum(v for _, v in got))
print("native ids distinct", len({t.native_id for t in threads}) == N)
print("alive after join", sum(t.is_alive() for t in threads))
