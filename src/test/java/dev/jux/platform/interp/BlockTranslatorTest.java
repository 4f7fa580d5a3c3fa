package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Where the JIT's blocks end: past a conditional branch, except one that closes a loop or leaves the canonical range. */
class BlockTranslatorTest {
    private static JitBlock translate(long rip, String hex) {
        return BlockTranslator.translate(HexFormat.of().parseHex(hex), rip, null, false);
    }

    @Test
    void aBlockGoesOnPastAConditionalBranch() {
        // cmp eax, 1; je +2; add eax, 5; test eax, eax; jne -9 (to the je: inside the block, not its start); ret
        JitBlock b = translate(0x40_0000L, "83f801" + "7402" + "83c005" + "85c0" + "75f7" + "c3");
        assertEquals(6, b.instructions, "through both Jccs to the RET");
    }

    @Test
    void aBranchBackToTheBlocksStartEndsIt() {
        // add eax, 1; cmp eax, 9; jne -8 (the block's start: a loop); ret
        JitBlock b = translate(0x40_0000L, "83c001" + "83f809" + "75f8" + "c3");
        assertEquals(3, b.instructions);
        assertEquals(0x40_0006L, b.lastRip);
    }

    @Test
    void aBranchToANonCanonicalAddressEndsTheBlockOnIt() {
        // near the top of the lower half: cmp eax, 1; jne rel32 past 0x0000_8000_0000_0000; nop
        long rip = 0x7fff_ffff_f000L;
        JitBlock b = translate(rip, "83f801" + "0f8500200000" + "90");
        assertEquals(2, b.instructions, "its #GP is reported at the block's last RIP");
        assertEquals(rip + 3, b.lastRip);
    }
}
