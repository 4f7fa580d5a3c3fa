package dev.jux.host;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM's shutdown hooks, counted, so that {@link #exit} knows whether any must run. Every
 * hook Jux registers goes through here.
 */
public final class ShutdownHooks {
    private ShutdownHooks() {}

    private static final AtomicInteger REGISTERED = new AtomicInteger();

    public static void add(Thread hook) {
        Runtime.getRuntime().addShutdownHook(hook);
        REGISTERED.incrementAndGet();
    }

    /** Removes {@code hook}; false if it was not registered or the JVM is already shutting down (then it runs). */
    public static boolean remove(Thread hook) {
        try {
            if (!Runtime.getRuntime().removeShutdownHook(hook)) return false;
        } catch (IllegalStateException e) {
            return false;
        }
        REGISTERED.decrementAndGet();
        return true;
    }

    /**
     * Ends the JVM with {@code status}. With no hook registered it halts after flushing
     * System.out and System.err: System.exit would first set up the JDK's logging (it logs the
     * exit at DEBUG level, JDK 21+), ~5 ms of every run's end (docs/design.md, "Start-up").
     * Not while a flight recording runs (-XX:StartFlightRecording in JUX_JAVA_OPTS): JFR writes
     * its recording from a shutdown hook of its own, which a halt skips.
     */
    public static void exit(int status) {
        if (REGISTERED.get() == 0 && !flightRecorderStarted()) {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(status);
        }
        System.exit(status);
    }

    private static boolean flightRecorderStarted() {
        try {
            return jdk.jfr.FlightRecorder.isInitialized();
        } catch (LinkageError e) {   // a runtime image without the jdk.jfr module
            return false;
        }
    }
}
