package dev.servmon.agent.install;

import java.util.List;

/**
 * The JVM flags and environment the agent runs with: the smallest footprint that still runs it
 * well. The systemd unit, the {@code ./servmon agent} launcher and {@code bench/footprint.sh}
 * use the same lists (tests check the launcher and the unit against them). What each buys, as
 * measured, is in docs/decisions.md ("Agent JVM flags").
 *
 * <p>Memory: Serial GC (no GC threads) in a 16 MiB heap whose young generation is 1 MiB (a
 * bigger one is only more pages touched; the agent's objects live for one sample) and whose old
 * generation starts at 3 MiB and grows only when needed (with {@code -Xms} at {@code -Xmx}, the
 * JVM's default on any machine with more than 1 GiB, promoted garbage would touch all of it over
 * days); no class-data sharing (the JDK's archive is mapped at a random address and relocated,
 * which dirties all of it, more than the agent's classes take when loaded from the jar); one
 * malloc arena instead of up to eight per core.
 *
 * <p>CPU: C1 only with one compiler thread and an 8 MiB code cache (the agent runs a few
 * milliseconds per interval; C2's peak speed buys nothing); no periodic safepoint and the idle
 * monitor check every 10 s rather than 4 times a second, the two wake-ups that made up a fifth
 * of an idle agent's CPU. Those two are diagnostic options, which a future JDK may drop:
 * {@code -XX:+IgnoreUnrecognizedVMOptions} keeps the agent starting then (a test checks that
 * the JDK building servmon knows every flag).
 *
 * <p>Also: no perf-data file in /tmp, and exit on out-of-memory so that systemd restarts a
 * clean process rather than a crippled one. All are accepted by JDK 17 through 25.
 */
public final class JvmFlags {
    /** The flags, in the order they are written. */
    public static final List<String> SMALL_FOOTPRINT = List.of(
            "-XX:+UseSerialGC", "-Xms4m", "-Xmx16m", "-Xmn1m", "-Xss256k", "-Xshare:off",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=8m",
            "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError", "-XX:+IgnoreUnrecognizedVMOptions",
            "-XX:+UnlockDiagnosticVMOptions", "-XX:GuaranteedSafepointInterval=0", "-XX:AsyncDeflationInterval=10000");

    /** Environment variables of the agent's JVM, {@code NAME=value}: glibc's malloc keeps one arena. */
    public static final List<String> ENVIRONMENT = List.of("MALLOC_ARENA_MAX=1");

    private JvmFlags() {}
}
