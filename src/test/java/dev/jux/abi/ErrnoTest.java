package dev.jux.abi;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void looksUpByNumber() {
        assertEquals(Errno.EPERM, Errno.of(1));
        assertEquals(Errno.ENOENT, Errno.of(2));
        assertEquals(Errno.EHWPOISON, Errno.of(133));
        assertEquals(2, Errno.ENOENT.number());
    }

    @Test
    void aliasesShareOneConstant() {
        // EWOULDBLOCK == EAGAIN and EDEADLOCK == EDEADLK in <asm-generic/errno.h>.
        assertEquals(Errno.EAGAIN, Errno.of(11));
        assertEquals(Errno.EDEADLK, Errno.of(35));
    }

    @Test
    void unassignedNumbersAreNull() {
        assertNull(Errno.of(0));
        assertNull(Errno.of(41));
        assertNull(Errno.of(58));
        assertNull(Errno.of(134));
        assertNull(Errno.of(520));
        assertNull(Errno.of(-2));
        assertNull(Errno.of(100000));
    }

    @Test
    void everyUserNumberFrom1To133ExceptTheGaps() {
        int count = 0;
        for (Errno e : Errno.values()) {
            if (!e.isKernelInternal()) {
                count++;
                assertSame(e, Errno.of(e.number()));
            }
        }
        assertEquals(131, count);
    }

    @Test
    void messagesAreStrerror() {
        assertEquals("No such file or directory", Errno.ENOENT.message());
        assertEquals("Resource temporarily unavailable", Errno.EAGAIN.message());
        assertEquals("Bad file descriptor", Errno.EBADF.message());
        assertEquals("Inappropriate ioctl for device", Errno.ENOTTY.message());
        assertEquals("Function not implemented", Errno.ENOSYS.message());
        assertEquals("Memory page has hardware error", Errno.EHWPOISON.message());
        assertEquals("To be restarted if SA_RESTART is set", Errno.ERESTARTSYS.message());
    }

    @Test
    void kernelInternalCodes() {
        assertTrue(Errno.ERESTARTSYS.isKernelInternal());
        assertTrue(Errno.ERESTART_RESTARTBLOCK.isRestart());
        assertFalse(Errno.ENOIOCTLCMD.isRestart());
        assertFalse(Errno.EINTR.isKernelInternal());
        assertEquals(Errno.ERESTARTSYS, Errno.of(512));
    }

    @Test
    void rawResultsInTheErrorRange() {
        assertTrue(Errno.isError(-1));
        assertTrue(Errno.isError(-4095));
        assertFalse(Errno.isError(-4096));
        assertFalse(Errno.isError(0));
        assertFalse(Errno.isError(0xffffffffff600000L)); // a high address from mmap is not an error
    }
}
