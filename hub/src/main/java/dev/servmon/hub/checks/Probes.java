package dev.servmon.hub.checks;

import dev.servmon.protocol.checks.Probing;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/** One probe per check type that the hub runs itself (push checks are not run: they are sent). */
final class Probes implements AutoCloseable {
    private final Map<CheckType, Probe> byType = new EnumMap<>(CheckType.class);
    private final HttpProbe http;

    Probes(Clock clock) {
        this.http = new HttpProbe(clock);
        byType.put(CheckType.HTTP, http);
        byType.put(CheckType.TCP, new TcpProbe());
        byType.put(CheckType.DNS, new DnsProbe());
        byType.put(CheckType.PING, new PingProbe());
        byType.put(CheckType.DATABASE, new DatabaseProbe());
        byType.put(CheckType.DIRECTORY, new DirectoryProbe(clock));
    }

    /** Runs the check's probe; a probe that throws anyway is turned into a DOWN outcome. */
    Outcome run(Check check) {
        Probe probe = byType.get(check.type());
        if (probe == null) {
            throw new IllegalArgumentException(check.type().label() + " checks are not run by the hub");
        }
        try {
            return probe.run(check);
        } catch (RuntimeException e) {
            return Outcome.down(null, "the " + check.type().label() + " probe failed: " + Probing.rootMessage(e));
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
