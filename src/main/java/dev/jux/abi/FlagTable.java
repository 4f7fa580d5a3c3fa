package dev.jux.abi;

import java.util.ArrayList;
import java.util.List;

/**
 * An ordered table of named bit flags that renders a value the way strace does:
 * {@code O_CREAT|O_EXCL}, then any bits no entry covers as one hex number
 * ({@code PROT_READ|0x100}); a value in which no entry matches prints as
 * {@code 0x10 /* PROT_??? *}{@code /}. Entries are tried in table order and each match
 * removes its bits, so a multi-bit entry listed first (O_SYNC = __O_SYNC|O_DSYNC) wins over
 * its parts. The order is strace's, which is not always numeric; each table says where it
 * came from.
 */
public final class FlagTable {
    private final String unknown;
    private final String[] names;
    private final long[] values;

    private FlagTable(String unknown, List<String> names, List<Long> values) {
        this.unknown = unknown;
        this.names = names.toArray(String[]::new);
        this.values = values.stream().mapToLong(Long::longValue).toArray();
    }

    /** Starts a table; {@code unknown} is the comment for unnamed values, e.g. "O_???". */
    public static Builder builder(String unknown) {
        return new Builder(unknown);
    }

    /** Renders {@code value}; zero prints as "0". */
    public String render(long value) {
        return render(value, "0");
    }

    /** Renders {@code value}; zero prints as {@code zero} (e.g. "PROT_NONE", "F_OK"). */
    public String render(long value, String zero) {
        if (value == 0) return zero;
        String joined = join(value);
        if (joined.startsWith("0x")) return joined + " /* " + unknown + " */";
        return joined;
    }

    /**
     * The names of the flags in {@code value} joined by '|', then the unnamed rest in hex;
     * "" for zero. This is also what strace prints inside composite values (termios words).
     */
    public String join(long value) {
        StringBuilder sb = new StringBuilder();
        long rest = value;
        for (int i = 0; i < names.length; i++) {
            if (values[i] != 0 && (rest & values[i]) == values[i]) {
                if (!sb.isEmpty()) sb.append('|');
                sb.append(names[i]);
                rest &= ~values[i];
            }
        }
        if (rest != 0) {
            if (!sb.isEmpty()) sb.append('|');
            sb.append(Hex.of(rest));
        }
        return sb.toString();
    }

    /** Appends "|NAME..." and "|0xrest" for the flags in {@code value} after {@code prefix}. */
    public String renderAfter(String prefix, long value) {
        String joined = join(value);
        return joined.isEmpty() ? prefix : prefix + "|" + joined;
    }

    /** Collects entries in the order they are tried. */
    public static final class Builder {
        private final String unknown;
        private final List<String> names = new ArrayList<>();
        private final List<Long> values = new ArrayList<>();

        private Builder(String unknown) {
            this.unknown = unknown;
        }

        public Builder add(String name, long value) {
            names.add(name);
            values.add(value);
            return this;
        }

        public FlagTable build() {
            return new FlagTable(unknown, names, values);
        }
    }
}
