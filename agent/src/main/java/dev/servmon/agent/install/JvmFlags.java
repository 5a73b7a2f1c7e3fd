package dev.servmon.agent.install;

import java.util.List;

/**
 * The JVM flags the agent runs with: the smallest footprint that still runs it well. The
 * systemd unit and the {@code ./servmon agent} launcher use the same list (a test checks the
 * launcher against it).
 *
 * <p>Serial GC (no GC threads) in a 16 MiB heap (the agent keeps a few MiB of samples at
 * most), C1 only with one compiler thread and an 8 MiB code cache (the agent runs a few
 * milliseconds per interval; C2's peak speed buys nothing), no perf-data file in /tmp, and exit
 * on out-of-memory so that systemd restarts a clean process rather than a crippled one. All
 * are accepted by JDK 17 through 25.
 */
public final class JvmFlags {
    /** The flags, in the order they are written. */
    public static final List<String> SMALL_FOOTPRINT = List.of(
            "-XX:+UseSerialGC", "-Xmx16m", "-Xss256k",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=8m",
            "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError");

    private JvmFlags() {}
}
