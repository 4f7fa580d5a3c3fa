package dev.jux.kernel;

import java.util.function.UnaryOperator;

/**
 * A UTS namespace (kernel/utsname.c): the host and domain names its processes see and set.
 * fork and clone share their parent's; clone or unshare with CLONE_NEWUTS gives a process a
 * copy of its own, so sethostname there changes nobody else's uname.
 */
public final class UtsNamespace {
    private volatile UtsName names;

    public UtsNamespace(UtsName names) {
        this.names = names;
    }

    public UtsName names() {
        return names;
    }

    /** sethostname, setdomainname, /proc/sys/kernel/{hostname,domainname}. */
    public synchronized void update(UnaryOperator<UtsName> change) {
        names = change.apply(names);
    }

    /** copy_utsname: a new namespace starting with this one's names. */
    public UtsNamespace copy() {
        return new UtsNamespace(names);
    }
}
