package dev.jux.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** binfmt_script's parsing rules (Linux 5.1+); exec_script.c checks the same against the host. */
class ShebangTest {
    private static Shebang parse(String s) {
        return Shebang.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void assertLine(String file, String interpreter, String argument) {
        Shebang s = parse(file);
        assertEquals(interpreter, new String(s.interpreter(), StandardCharsets.ISO_8859_1));
        if (argument == null) assertNull(s.argument());
        else assertEquals(argument, new String(s.argument(), StandardCharsets.ISO_8859_1));
    }

    private static void assertNoExec(String file) {
        LinuxException e = assertThrows(LinuxException.class, () -> parse(file));
        assertEquals(Errno.ENOEXEC, e.errno());
    }

    @Test
    void interpreterAlone() {
        assertLine("#!/bin/sh\necho hi\n", "/bin/sh", null);
        assertLine("#!/bin/sh", "/bin/sh", null);                 // no newline, short file
        assertLine("#!  \t/bin/sh  \t\n", "/bin/sh", null);      // blanks around it
    }

    @Test
    void theArgumentIsTheRestOfTheLineTrimmedNotSplit() {
        assertLine("#!/usr/bin/env  python3 -u  \n", "/usr/bin/env", "python3 -u");
        assertLine("#!/bin/sh\t-e\n", "/bin/sh", "-e");
        assertLine("#!/bin/sh -x\r\n", "/bin/sh", "-x\r");      // a CR is not a blank
    }

    @Test
    void aNulEndsTheNameAndTheArgument() {
        assertLine("#!/bin/sh\0ignored\n", "/bin/sh", null);
        assertLine("#!/bin/sh -a\0b\n", "/bin/sh", "-a");
        assertLine("#!/bin/sh \0 x\n", "/bin/sh", "");           // an argument that is empty
        assertLine("#!", "", null);                                // exec then opens "" (the cwd)
    }

    @Test
    void withoutANameItIsNotAScript() {
        assertNoExec("#!\n");
        assertNoExec("#!   \t\n");
        assertNoExec("#!" + " ".repeat(300));
        assertFalse(Shebang.isScript("# !/bin/sh\n".getBytes()));
        assertFalse(Shebang.isScript("#".getBytes()));
        assertTrue(Shebang.isScript("#!x".getBytes()));
        assertNoExec("ELF");
    }

    @Test
    void aLongLineIsCutAfterTheInterpreterName() {
        // No newline in the first 256 bytes: the argument stops at byte 255.
        String arg = "z".repeat(300);
        Shebang s = parse("#!/bin/sh " + arg + "\n");
        assertArrayEquals("/bin/sh".getBytes(), s.interpreter());
        assertEquals(Shebang.BUF_SIZE - 1 - "#!/bin/sh ".length(), s.argument().length);
        // An interpreter name that does not end within the buffer may be truncated: ENOEXEC.
        assertNoExec("#!/" + "d".repeat(300) + "\n");
        // One that ends exactly before the last byte is fine.
        assertLine("#!/" + "d".repeat(251) + " x", "/" + "d".repeat(251), null);
    }
}
