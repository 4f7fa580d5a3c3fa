package dev.jux.abi;

import java.util.HashMap;
import java.util.Map;

/**
 * Names for an enumerated value (SEEK_SET, CLOCK_MONOTONIC, RLIMIT_STACK...), rendered as
 * strace does: the name, or {@code 0x7 /* SEEK_??? *}{@code /} for a value with no name.
 */
public final class ValueTable {
    private final String unknown;
    private final Map<Long, String> names;

    private ValueTable(String unknown, Map<Long, String> names) {
        this.unknown = unknown;
        this.names = Map.copyOf(names);
    }

    /** Starts a table; {@code unknown} is the comment for unnamed values, e.g. "SEEK_???". */
    public static Builder builder(String unknown) {
        return new Builder(unknown);
    }

    /** The name of {@code value}, or null. */
    public String name(long value) {
        return names.get(value);
    }

    /** The name of {@code value}, or its hex and the "???" comment. */
    public String render(long value) {
        String name = names.get(value);
        return name != null ? name : Hex.of(value) + " /* " + unknown + " */";
    }

    /** Collects the names. */
    public static final class Builder {
        private final String unknown;
        private final Map<Long, String> names = new HashMap<>();

        private Builder(String unknown) {
            this.unknown = unknown;
        }

        public Builder add(String name, long value) {
            names.putIfAbsent(value, name);
            return this;
        }

        public ValueTable build() {
            return new ValueTable(unknown, names);
        }
    }
}
