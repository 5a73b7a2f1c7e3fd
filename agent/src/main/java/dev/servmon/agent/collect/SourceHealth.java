package dev.servmon.agent.collect;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import dev.servmon.agent.Log;

/**
 * Reads each source of a sample so that one failing source costs only its own figures, and
 * logs a failure once at WARN when a source starts failing (then at DEBUG while it keeps
 * failing) and once at INFO when it works again: a broken source every 10 s must not flood
 * the log, nor fail silently.
 */
final class SourceHealth {
    private final Log log;
    private final Set<String> failing = new HashSet<>();

    SourceHealth(Log log) {
        this.log = log;
    }

    /** A read of one source; may throw I/O errors and, from parsers, IllegalArgumentException. */
    interface Read<T> {
        T read() throws IOException;
    }

    /** The value of {@code read}, or {@code null} (logged) when it fails. */
    <T> T attempt(String source, Read<T> read) {
        try {
            T value = read.read();
            if (failing.remove(source)) {
                log.info("servmon agent: {} can be read again", source);
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                // The agent is stopping and interrupted this read; the source is fine.
                log.debug("servmon agent: read of {} interrupted by shutdown", source, e);
                return null;
            }
            if (failing.add(source)) {
                log.warn("servmon agent: cannot read {} ({}); its figures are left out of samples until it can be read", source, e.toString());
            } else {
                log.debug("servmon agent: {} still cannot be read", source, e);
            }
            return null;
        }
    }
}
