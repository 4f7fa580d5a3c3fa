package dev.jux.kernel;

/** What uname(2) reports. The release is a Linux 6.x version, as programs check it for features. */
public record UtsName(String sysname, String nodename, String release, String version, String machine, String domainname) {
    public static final String RELEASE = "6.12.0-jux";

    /** Linux's __NEW_UTS_LEN: sethostname and setdomainname take at most this many bytes. */
    public static final int FIELD_MAX = 64;

    /** A name as the kernel keeps it: the bytes as given (ISO-8859-1 keeps every byte), cut at the first NUL. */
    public static String field(byte[] name) {
        int n = 0;
        while (n < name.length && name[n] != 0) n++;
        return new String(name, 0, Math.min(n, FIELD_MAX), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    public UtsName withNodename(String n) {
        return new UtsName(sysname, n, release, version, machine, domainname);
    }

    public UtsName withDomainname(String d) {
        return new UtsName(sysname, nodename, release, version, machine, d);
    }

    public static UtsName defaults(String hostname) {
        return new UtsName("Linux", hostname, RELEASE, "#1 SMP PREEMPT_DYNAMIC Jux", "x86_64", "(none)");
    }
}
