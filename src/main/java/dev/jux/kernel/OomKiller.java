package dev.jux.kernel;

import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;

/**
 * Linux's OOM killer, reduced to its choice: when guest RAM has no free frame for a page
 * fault, the process with the highest badness (resident pages plus oom_score_adj thousandths
 * of RAM; never pid 1 or one with oom_score_adj -1000) is killed with SIGKILL (the one that
 * faulted when it is the worst, or when no other may be taken: where Linux would panic, Jux
 * ends the caller), and the kernel log says so as Linux's does. Jux has no swap and no
 * reclaim, so this is the only way out.
 */
final class OomKiller {
    private OomKiller() {}

    /** How long a faulting task waits for another victim to free its memory before retrying. */
    private static final long VICTIM_WAIT_MS = 2000;

    /**
     * Guest RAM ran out while {@code caller} faulted. Returns true if the caller was chosen
     * (it must die with SIGKILL), false if another process was killed (the caller retries
     * its fault once that one has let its memory go).
     */
    static boolean outOfMemory(Task caller) {
        Kernel kernel = caller.kernel();
        ThreadGroup victim = caller.group();
        long worst = victim.oomBadness();
        synchronized (kernel.treeLock()) {
            for (ThreadGroup p : kernel.processes()) {
                if (p.isZombie() || p == caller.group()) continue;
                long badness = p.oomBadness();
                if (badness != Long.MIN_VALUE && badness > worst) {
                    worst = badness;
                    victim = p;
                }
            }
        }
        long largest = victim.residentPages();
        boolean alreadyDying = victim != caller.group() && victim.isExiting();
        if (!alreadyDying) {
            kernel.log().info("Out of memory: Killed process " + victim.pid() + " (" + victim.comm() + ") total-vm:"
                    + victim.memory().mappedBytes() / 1024 + "kB, anon-rss:" + largest * 4 + "kB, file-rss:0kB, shmem-rss:0kB, UID:"
                    + victim.credentials().uid() + " pgtables:0kB oom_score_adj:" + victim.oomScoreAdjust().value());
        }
        if (victim == caller.group()) return true;
        if (!alreadyDying) SignalSender.toProcess(victim, new SigInfo.Kernel(Signal.SIGKILL));
        long deadline = System.currentTimeMillis() + VICTIM_WAIT_MS;
        while (!victim.isZombie() && victim.residentPages() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return false;
    }
}
