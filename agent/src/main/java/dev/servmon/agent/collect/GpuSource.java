package dev.servmon.agent.collect;

import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * NVIDIA GPUs, through {@code nvidia-smi} (the driver's own tool; the NVML library would need
 * JNA). Looked up on the {@code PATH} once, at start: on a machine without it, this source
 * costs nothing.
 */
final class GpuSource {
    /** Longest wait for one {@code nvidia-smi} run. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** After a failed run, GPUs are not asked again for this long: a hung driver costs one wait a minute, not one a sample. */
    static final long QUIET_AFTER_FAILURE_MILLIS = 60_000;

    private final List<String> command;
    private long quietUntilMs = Long.MIN_VALUE;

    private GpuSource(Path nvidiaSmi) {
        List<String> c = new ArrayList<>();
        c.add(nvidiaSmi.toString());
        c.addAll(NvidiaSmi.ARGS);
        this.command = List.copyOf(c);
    }

    /**
     * A source using the {@code nvidia-smi} (or, on Windows, {@code nvidia-smi.exe}) found on
     * {@code searchPath}, or {@code null} when there is none.
     */
    static GpuSource find(String searchPath) {
        Path tool = Command.find("nvidia-smi", searchPath);
        if (tool == null) {
            tool = Command.find("nvidia-smi.exe", searchPath);
        }
        return tool == null ? null : new GpuSource(tool);
    }

    /**
     * The GPUs' figures now, or {@code null} while quiet after a failure.
     *
     * @param atMs the sample's time
     * @throws IOException when {@code nvidia-smi} fails, hangs or prints something else than asked
     */
    List<Sample.Gpu> read(long atMs) throws IOException {
        if (atMs < quietUntilMs && atMs >= quietUntilMs - QUIET_AFTER_FAILURE_MILLIS) {
            return null;
        }
        try {
            return NvidiaSmi.parse(Command.run(command, TIMEOUT));
        } catch (InterruptedException e) {
            // Keep the flag: the agent is stopping; SourceHealth sees it and stays quiet.
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running nvidia-smi", e);
        } catch (IOException | RuntimeException e) {
            quietUntilMs = atMs + QUIET_AFTER_FAILURE_MILLIS;
            throw e;
        }
    }
}
