package dev.jux.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a C test program declares about itself, in {@code //} comment lines at the top of its
 * source (the header ends at the first line that is neither a comment nor blank):
 *
 * <pre>
 * // args: one "two words" three     arguments after argv[0] (quotes group words)
 * // env: A=1 B="x y"                 the whole environment (default: PATH=/usr/bin:/bin)
 * // stdin: some text\tmore           one line of standard input (\n \t \\ escapes); repeatable
 * // expect-exit: 3                   the exit status of a correct run (default 0)
 * // expect-signal: SIGSEGV           a correct run dies by this signal (Jux exits 128+N)
 * // flavours: glibc musl             build only these flavours (default: all)
 * // cflags: -lm                      extra compiler arguments, placed after the source file
 * // timeout: 60                      seconds per run (default 30)
 * // jux-args: --mount {scratch}:/tmp  extra `jux run` options (not for the native run); {scratch}
 *                                     is a fresh empty host directory made for each Jux run
 * </pre>
 *
 * A comment line {@code // word: ...} whose word is lower-case and not one of these is an error,
 * so that a misspelt directive cannot be silently ignored.
 */
public record Directives(
        List<String> args,
        Map<String, String> env,
        byte[] stdin,
        int expectedStatus,
        String expectedSignal,
        Set<Flavour> flavours,
        List<String> cflags,
        Duration timeout,
        List<String> juxArgs) {

    private static final Pattern DIRECTIVE = Pattern.compile("^//\\s*([a-z][a-z-]*):\\s?(.*)$");

    /** Parses the comment header of {@code source}; {@code name} is used in error messages. */
    public static Directives parse(String name, String source) {
        List<String> args = List.of();
        Map<String, String> env = new LinkedHashMap<>(Map.of("PATH", "/usr/bin:/bin"));
        ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        Integer exit = null;
        String signal = null;
        Set<Flavour> flavours = EnumSet.allOf(Flavour.class);
        List<String> cflags = List.of();
        Duration timeout = Duration.ofSeconds(30);
        List<String> juxArgs = List.of();

        for (String line : source.split("\n", -1)) {
            String t = line.strip();
            if (t.isEmpty()) continue;
            if (!t.startsWith("//")) break;
            Matcher m = DIRECTIVE.matcher(t);
            if (!m.matches()) continue;
            String value = m.group(2).strip();
            try {
                switch (m.group(1)) {
                    case "args" -> args = words(value);
                    case "env" -> {
                        env = new LinkedHashMap<>();
                        for (String w : words(value)) {
                            int eq = w.indexOf('=');
                            if (eq <= 0) throw new IllegalArgumentException("not NAME=VALUE: " + w);
                            env.put(w.substring(0, eq), w.substring(eq + 1));
                        }
                    }
                    case "stdin" -> stdin.writeBytes((unescape(value) + "\n").getBytes(StandardCharsets.UTF_8));
                    case "expect-exit" -> exit = Integer.parseInt(value);
                    case "expect-signal" -> signal = value;
                    case "flavours" -> {
                        flavours = EnumSet.noneOf(Flavour.class);
                        for (String w : words(value)) flavours.add(Flavour.byId(w));
                    }
                    case "cflags" -> cflags = words(value);
                    case "timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value));
                    case "jux-args" -> juxArgs = words(value);
                    default -> throw new IllegalArgumentException("unknown directive");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": bad directive '" + t + "': " + e.getMessage(), e);
            }
        }
        if (exit != null && signal != null) {
            throw new IllegalArgumentException(name + ": expect-exit and expect-signal together");
        }
        int status = signal != null ? 128 + Signals.number(signal) : exit != null ? exit : 0;
        return new Directives(List.copyOf(args), Map.copyOf(env), stdin.toByteArray(), status, signal,
                Set.copyOf(flavours), List.copyOf(cflags), timeout, List.copyOf(juxArgs));
    }

    /** Splits on blanks; "double" or 'single' quotes keep blanks inside one word. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        for (char c : s.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                else cur.append(c);
            } else if (c == '"' || c == '\'') {
                if (cur == null) cur = new StringBuilder();
                quote = c;
            } else if (Character.isWhitespace(c)) {
                if (cur != null) out.add(cur.toString());
                cur = null;
            } else {
                if (cur == null) cur = new StringBuilder();
                cur.append(c);
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unterminated quote");
        if (cur != null) out.add(cur.toString());
        return out;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case '\\' -> b.append('\\');
                default -> throw new IllegalArgumentException("unknown escape \\" + n);
            }
        }
        return b.toString();
    }
}
