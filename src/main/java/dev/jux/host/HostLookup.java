package dev.jux.host;

/**
 * What {@link HostDirectory#lookup} found for a name. A missing name is an ordinary answer
 * (a path walk asks for names that do not exist all the time, O_CREAT first of all), so it is
 * a value here rather than an exception; every other failure throws {@link HostException}.
 */
public sealed interface HostLookup {
    /** The name exists; this is its own stat: a symlink is reported as a symlink, never followed. */
    record Found(HostStat stat) implements HostLookup {}

    /** fstatat said ENOENT: no entry of that name. */
    record Missing() implements HostLookup {}
}
