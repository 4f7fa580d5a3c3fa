package dev.jux.abi;

import static org.junit.jupiter.api.Assertions.*;

import dev.jux.abi.Signal.DefaultAction;
import org.junit.jupiter.api.Test;

class SignalTest {
    @Test
    void looksUpByNumber() {
        assertEquals(Signal.SIGHUP, Signal.of(1));
        assertEquals(Signal.SIGSEGV, Signal.of(11));
        assertEquals(Signal.SIGSYS, Signal.of(31));
        assertEquals(Signal.SIGRTMIN, Signal.of(32));
        assertEquals(Signal.SIGRT_1, Signal.of(33));
        assertEquals(Signal.SIGRT_32, Signal.of(64));
        assertNull(Signal.of(0));
        assertNull(Signal.of(65));
        assertEquals(64, Signal.values().length);
        for (Signal s : Signal.values()) assertSame(s, Signal.of(s.number()));
    }

    @Test
    void defaultActionsFollowSignal7() {
        assertEquals(DefaultAction.TERMINATE, Signal.SIGHUP.defaultAction());
        assertEquals(DefaultAction.CORE, Signal.SIGSEGV.defaultAction());
        assertEquals(DefaultAction.CORE, Signal.SIGQUIT.defaultAction());
        assertEquals(DefaultAction.IGNORE, Signal.SIGCHLD.defaultAction());
        assertEquals(DefaultAction.IGNORE, Signal.SIGWINCH.defaultAction());
        assertEquals(DefaultAction.IGNORE, Signal.SIGURG.defaultAction());
        assertEquals(DefaultAction.CONTINUE, Signal.SIGCONT.defaultAction());
        assertEquals(DefaultAction.STOP, Signal.SIGTSTP.defaultAction());
        assertEquals(DefaultAction.STOP, Signal.SIGSTOP.defaultAction());
        assertEquals(DefaultAction.CORE, Signal.SIGXFSZ.defaultAction());
        assertEquals(DefaultAction.TERMINATE, Signal.SIGRT_5.defaultAction());
    }

    @Test
    void namesAndMasks() {
        assertEquals("HUP", Signal.SIGHUP.shortName());
        assertEquals("RTMIN", Signal.SIGRTMIN.shortName());
        assertEquals("RT_32", Signal.SIGRT_32.shortName());
        assertEquals(1L, Signal.SIGHUP.mask());
        assertEquals(1L << 63, Signal.SIGRT_32.mask());
        assertTrue(Signal.SIGRTMIN.isRealtime());
        assertFalse(Signal.SIGSYS.isRealtime());
    }
}
