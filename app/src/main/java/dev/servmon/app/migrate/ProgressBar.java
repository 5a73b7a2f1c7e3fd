package dev.servmon.app.migrate;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar on stderr: rows done of the total, rate and time left. On a terminal it is
 * redrawn in place a few times a second; otherwise (a log, CI) it prints a line every few
 * seconds instead of flooding the log.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long TERMINAL_EVERY_NANOS = 200_000_000L;
    private static final long LOG_EVERY_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final long total;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long lastDrawNanos;

    ProgressBar(PrintStream out, long total, boolean terminal, LongSupplier nanoClock) {
        this.out = out;
        this.total = total;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastDrawNanos = startNanos;
    }

    /** Redraws when enough time has passed since the last drawing. */
    void update(long done, String label) {
        long now = nanoClock.getAsLong();
        if (now - lastDrawNanos < (terminal ? TERMINAL_EVERY_NANOS : LOG_EVERY_NANOS)) {
            return;
        }
        lastDrawNanos = now;
        String line = render(done, total, (now - startNanos) / 1e9, label);
        if (terminal) {
            out.print("\r" + line + "\033[K");
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** The final state, on its own line. */
    void finish(long done) {
        String line = render(done, total, (nanoClock.getAsLong() - startNanos) / 1e9, "done");
        out.print(terminal ? "\r" + line + "\033[K\n" : line + "\n");
        out.flush();
    }

    /** {@code [=========>          ]  45%  1,234 / 2,742 rows  5,210 rows/s  ETA 0:03  label}. */
    static String render(long done, long total, double elapsedSeconds, String label) {
        double fraction = total <= 0 ? 1 : Math.min(1, done / (double) total);
        int filled = (int) Math.round(fraction * WIDTH);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        bar.append(']');
        double rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
        String eta = rate > 0 ? duration((total - done) / rate) : "--:--";
        return String.format(Locale.ROOT, "%s %3.0f%%  %,d / %,d rows  %,.0f rows/s  ETA %s  %s", bar, fraction * 100, done, total, rate, eta, label);
    }

    static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
