package dev.servmon.agent.collect;

import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * Parser of {@code nvidia-smi --query-gpu=…} CSV output ({@link #QUERY}, with
 * {@code --format=csv,noheader,nounits}): one line per GPU, fields separated by {@code ", "}.
 * A field the GPU does not report is {@code [N/A]} or {@code [Not Supported]} (e.g. power on
 * many GeForce cards): it becomes {@code null}.
 */
final class NvidiaSmi {
    /** The fields asked for, in the order they are parsed. */
    static final String QUERY = "index,name,utilization.gpu,memory.used,memory.total,power.draw,temperature.gpu";
    static final List<String> ARGS = List.of("--query-gpu=" + QUERY, "--format=csv,noheader,nounits");
    private static final int FIELDS = 7;
    private static final long MIB = 1024 * 1024;

    private NvidiaSmi() {}

    /**
     * Parses the output: memory in MiB, power in watts, utilisation in percent, temperature in °C.
     *
     * @throws IllegalArgumentException when a line has too few fields or a malformed index or figure
     */
    static List<Sample.Gpu> parse(String text) {
        List<Sample.Gpu> gpus = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length < FIELDS) {
                throw new IllegalArgumentException("expected " + FIELDS + " fields (" + QUERY + ") in nvidia-smi line: " + line.strip());
            }
            // The name is the only free text: should it contain commas, it takes the extra fields.
            int extra = f.length - FIELDS;
            StringBuilder name = new StringBuilder(f[1].strip());
            for (int i = 0; i < extra; i++) {
                name.append(',').append(f[2 + i]);
            }
            try {
                Double memUsed = number(f[3 + extra]);
                Double memTotal = number(f[4 + extra]);
                gpus.add(new Sample.Gpu(Integer.parseInt(f[0].strip()), name.toString(),
                        number(f[2 + extra]),
                        memUsed == null ? null : Math.round(memUsed * MIB),
                        memTotal == null ? null : Math.round(memTotal * MIB),
                        number(f[5 + extra]),
                        number(f[6 + extra])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed figure in nvidia-smi line: " + line.strip(), e);
            }
        }
        return gpus;
    }

    /** A figure, or {@code null} for the tool's {@code [N/A]}, {@code [Not Supported]}, {@code [Unknown Error]}. */
    private static Double number(String field) {
        String v = field.strip();
        if (v.isEmpty() || v.startsWith("[") || v.equals("N/A")) {
            return null;
        }
        return Double.parseDouble(v);
    }
}
