package dev.servmon.app.simulate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --acked-log FILE}: one line {@code <host name> <seq>} for every sample the hub
 * acknowledged, written only after its 200 answer arrived. A crash test compares it with what
 * the hub has after a restart: every line must be there.
 */
final class AckedLog implements AutoCloseable {
    private final Path file;
    private final BufferedWriter out;

    AckedLog(Path file) {
        this.file = file;
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("servmon simulate: cannot write --acked-log " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    synchronized void acked(String host, long seq) {
        try {
            out.write(host);
            out.write(' ');
            out.write(Long.toString(seq));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("servmon simulate: cannot write --acked-log " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("servmon simulate: cannot write --acked-log " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("servmon simulate: cannot close --acked-log " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
