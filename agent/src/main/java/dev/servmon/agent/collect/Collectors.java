package dev.servmon.agent.collect;

import dev.servmon.agent.Log;

/** Picks the collector for the operating system the agent runs on. */
public final class Collectors {
    private static final Log log = Log.get(Collectors.class);

    private Collectors() {}

    /** {@link #forThisOs(CollectSettings)} with {@link CollectSettings#DEFAULTS}. */
    public static Collector forThisOs() {
        return forThisOs(CollectSettings.DEFAULTS);
    }

    /**
     * {@link LinuxCollector} on Linux with a readable {@code /proc}, {@link OshiCollector}
     * elsewhere. On Linux, OSHI (and JNA) is never loaded.
     */
    public static Collector forThisOs(CollectSettings settings) {
        if (System.getProperty("os.name", "").startsWith("Linux")) {
            if (LinuxCollector.isSupported()) {
                return new LinuxCollector(settings);
            }
            log.warn("servmon agent: /proc/stat or /proc/meminfo is not readable; falling back to OSHI, which costs about 30 MB more memory");
        }
        return oshi(settings);
    }

    // A method of its own, so that verifying forThisOs() never needs the OSHI classes.
    private static Collector oshi(CollectSettings settings) {
        return new OshiCollector(settings);
    }
}
