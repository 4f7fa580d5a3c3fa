package dev.jux.kernel;

/** What uname(2) reports. The release is a Linux 6.x version, as programs check it for features. */
public record UtsName(String sysname, String nodename, String release, String version, String machine, String domainname) {
    public static final String RELEASE = "6.12.0-jux";

    public static UtsName defaults(String hostname) {
        return new UtsName("Linux", hostname, RELEASE, "#1 SMP PREEMPT_DYNAMIC Jux", "x86_64", "(none)");
    }
}
