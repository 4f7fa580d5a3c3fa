package dev.jux.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** --cpus N: at most N holders in "guest code" at once, and a spinning holder is sliced so others run. */
class CpuGateTest {
    /** A fake vCPU thread: spins in "guest code" until kicked, then leaves and queues again. */
    private static Thread spinner(CpuGate gate, AtomicBoolean stop, AtomicInteger inside, AtomicInteger worstInside, AtomicLong slices) {
        return Thread.ofPlatform().start(() -> {
            Object me = new Object();
            AtomicBoolean kicked = new AtomicBoolean();
            while (!stop.get()) {
                if (!gate.enter(me, () -> kicked.set(true), stop::get)) break;
                int now = inside.incrementAndGet();
                worstInside.accumulateAndGet(now, Math::max);
                while (!kicked.get() && !stop.get()) Thread.onSpinWait();   // compute-bound guest code
                kicked.set(false);
                inside.decrementAndGet();
                slices.incrementAndGet();
                gate.leave(me);
            }
        });
    }

    @Test
    void oneCpuRunsOneSpinnerAtATimeAndSlicesBetweenThem() throws Exception {
        CpuGate gate = new CpuGate(1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger inside = new AtomicInteger(), worst = new AtomicInteger();
        List<AtomicLong> slices = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AtomicLong s = new AtomicLong();
            slices.add(s);
            threads.add(spinner(gate, stop, inside, worst, s));
        }
        // No timing assertion: wait until every spinner has had a few slices (the slicer kicks).
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (slices.stream().anyMatch(s -> s.get() < 3) && System.nanoTime() < deadline) Thread.sleep(10);
        stop.set(true);
        for (Thread t : threads) t.join();
        for (AtomicLong s : slices) assertTrue(s.get() >= 3, "every spinner got slices: " + slices);
        assertEquals(1, worst.get(), "never two spinners inside at once");
        assertEquals(1, gate.peak());
    }

    @Test
    void anOpenGateAdmitsEveryone() {
        CpuGate gate = new CpuGate(0);
        assertTrue(gate.isOpen());
        for (int i = 0; i < 10; i++) assertTrue(gate.enter(new Object(), () -> { }, () -> false));
        assertEquals(0, gate.peak());
    }

    @Test
    void anEndingHolderGetsNoCpu() {
        CpuGate gate = new CpuGate(2);
        assertFalse(gate.isOpen());
        assertFalse(gate.enter(new Object(), () -> { }, () -> true));
        Object a = new Object();
        assertTrue(gate.enter(a, () -> { }, () -> false));
        gate.leave(a);
    }
}
