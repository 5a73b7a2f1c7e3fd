package dev.servmon.hub.checks;

import dev.servmon.protocol.checks.DirectoryListing;
import dev.servmon.protocol.checks.Probing;
import dev.servmon.protocol.checks.Verdict;
import dev.servmon.protocol.checks.Verdicts;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Directory checks (seed 000: "monitor the number of files in a directory"): how many regular
 * files directly in the directory match the glob, and how old the newest one is. DOWN outside
 * {@code minCount}..{@code maxCount} or when the newest file is older than {@code maxAgeSeconds}.
 * The count is the result's value; the newest file's age is in the message.
 */
final class DirectoryProbe implements Probe {
    private final Clock clock;

    DirectoryProbe(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Outcome run(Check check) {
        var s = check.settings();
        Path dir = Path.of(s.path());
        long start = System.nanoTime();
        DirectoryListing listing;
        try {
            listing = DirectoryListing.of(dir, s.glob() == null ? "*" : s.glob());
        } catch (NoSuchFileException e) {
            return Outcome.down(null, "no directory " + dir);
        } catch (NotDirectoryException e) {
            return Outcome.down(null, dir + " is not a directory");
        } catch (IOException | SecurityException e) {
            return Outcome.down(null, "cannot read " + dir + ": " + Probing.rootMessage(e));
        }
        return judge(s, listing, clock.millis(), Probing.msSince(start));
    }

    /** UP or DOWN from a listing; pure. */
    static Outcome judge(CheckSettings s, DirectoryListing l, long nowMs, double ms) {
        Verdict v = Verdicts.directory(l.count(), l.newestMs(), nowMs, s.minCount(), s.maxCount(), s.maxAgeSeconds());
        return Outcome.of(v, ms).withValue((double) l.count());
    }
}
