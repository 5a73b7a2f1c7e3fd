package dev.servmon.hub.checks;

import dev.servmon.protocol.checks.Verdict;
import dev.servmon.protocol.checks.Verdicts;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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

    /** What was found in the directory. {@code newestMs} is null without files. */
    record Listing(long count, Long newestMs) {}

    @Override
    public Outcome run(Check check) {
        var s = check.settings();
        Path dir = Path.of(s.path());
        long start = System.nanoTime();
        Listing listing;
        try {
            listing = list(dir, s.glob() == null ? "*" : s.glob());
        } catch (NoSuchFileException e) {
            return Outcome.down(null, "no directory " + dir);
        } catch (NotDirectoryException e) {
            return Outcome.down(null, dir + " is not a directory");
        } catch (IOException | SecurityException e) {
            return Outcome.down(null, "cannot read " + dir + ": " + HttpProbe.rootMessage(e));
        }
        return judge(s, listing, clock.millis(), Outcome.msSince(start));
    }

    static Listing list(Path dir, String glob) throws IOException {
        long count = 0;
        Long newest = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path f : files) {
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(f, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue; // removed while we looked
                }
                if (!a.isRegularFile()) {
                    continue;
                }
                count++;
                long m = a.lastModifiedTime().toMillis();
                newest = newest == null ? m : Math.max(newest, m);
            }
        }
        return new Listing(count, newest);
    }

    /** UP or DOWN from a listing; pure. */
    static Outcome judge(CheckSettings s, Listing l, long nowMs, double ms) {
        Verdict v = Verdicts.directory(l.count(), l.newestMs(), nowMs, s.minCount(), s.maxCount(), s.maxAgeSeconds());
        return Outcome.of(v, ms).withValue((double) l.count());
    }
}
