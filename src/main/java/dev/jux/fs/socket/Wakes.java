package dev.jux.fs.socket;

import dev.jux.wait.WaitQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * Wake-ups collected while the socket lock is held and sent after it is released: a waiter's
 * wake may take other locks (an epoll's), and the epoll polls sockets under its own.
 */
final class Wakes {
    private final List<WaitQueue> queues = new ArrayList<>();
    private final List<Integer> keys = new ArrayList<>();

    void add(WaitQueue q, int events) {
        queues.add(q);
        keys.add(events);
    }

    void fire() {
        for (int i = 0; i < queues.size(); i++) queues.get(i).wakeAll(keys.get(i));
        queues.clear();
        keys.clear();
    }
}
