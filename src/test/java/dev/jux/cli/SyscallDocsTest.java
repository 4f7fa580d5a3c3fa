package dev.jux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/syscalls.md is generated from the syscall table and must never fall behind it. */
class SyscallDocsTest {
    @Test
    void compatibilityPageMatchesTheSyscallTable() throws IOException {
        ByteArrayOutputStream generated = new ByteArrayOutputStream();
        SyscallList.print(new PrintStream(generated, true, StandardCharsets.UTF_8));
        String onDisk = Files.readString(Path.of("docs/syscalls.md"));
        assertEquals(generated.toString(StandardCharsets.UTF_8), onDisk,
                "docs/syscalls.md is stale: regenerate it with  bin/jux syscalls > docs/syscalls.md");
    }
}
