package dev.servmon.agent.collect;

import java.time.Duration;

/**
 * Tunables of the collectors, validated here once.
 *
 * <p>Set by the agent's {@code --top-processes} and {@code --process-interval} options.
 *
 * @param topProcesses how many processes each top list (by CPU, by memory) holds, 1..100
 * @param processEvery time between two process scans, 1 s..1 h (scans cost the most CPU of all sources)
 */
public record CollectSettings(int topProcesses, Duration processEvery) {
    /** 10 processes per list, a scan every 30 s. */
    public static final CollectSettings DEFAULTS = new CollectSettings(10, Duration.ofSeconds(30));

    public CollectSettings {
        if (topProcesses < 1 || topProcesses > ProcessScanner.MAX_TOP) {
            throw new IllegalArgumentException("--top-processes must be between 1 and " + ProcessScanner.MAX_TOP + ", got " + topProcesses);
        }
        if (processEvery == null || processEvery.compareTo(Duration.ofSeconds(1)) < 0 || processEvery.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("--process-interval must be between 1 and 3600 seconds, got "
                    + (processEvery == null ? "none" : processEvery.toSeconds()));
        }
    }
}
