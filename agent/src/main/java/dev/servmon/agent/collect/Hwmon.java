package dev.servmon.agent.collect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which sensors a Linux hwmon chip or thermal zone has, from its attribute files
 * (Documentation/hwmon/sysfs-interface.rst, Documentation/driver-api/thermal/sysfs-api.rst).
 *
 * <p>Labels and thresholds do not change while the machine runs, so they are described once
 * ({@link #describeChip}, {@link #describeZone}); each sample then reads only the input files.
 * Temperatures are in millidegrees Celsius, fan speeds in RPM.
 */
final class Hwmon {
    /**
     * Thresholds outside this range are driver placeholders, not limits (NVMe drives report
     * {@code 65261.85} and {@code -273.15} °C for "none").
     */
    static final double MIN_PLAUSIBLE_CELSIUS = -60;
    static final double MAX_PLAUSIBLE_CELSIUS = 250;

    private Hwmon() {}

    enum Kind { TEMPERATURE, FAN }

    /**
     * One sensor input.
     *
     * @param kind temperature or fan
     * @param sensor name in samples, e.g. {@code coretemp/Core 0}, {@code nct6779/fan2}
     * @param input the file holding the reading, relative to the chip's or zone's directory
     * @param highCelsius high threshold, when the chip has a plausible one
     * @param criticalCelsius critical threshold, when the chip has a plausible one
     */
    record Input(Kind kind, String sensor, String input, Double highCelsius, Double criticalCelsius) {}

    /**
     * The inputs of one hwmon chip: every {@code temp<N>_input} (with {@code _label},
     * {@code _max}, {@code _crit}) and {@code fan<N>_input} (with {@code _label}).
     *
     * @param chip the chip's name in samples (its {@code name} file, qualified when two chips share one)
     * @param files the names of the files in the chip's directory
     * @param read the trimmed content of one of those files, or {@code null} when it cannot be read
     */
    static List<Input> describeChip(String chip, Collection<String> files, Function<String, String> read) {
        List<Input> inputs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        // fan1, fan2, temp1, temp2, ..., temp10: a stable order whatever order the directory lists them in.
        List<String> sorted = new ArrayList<>(files);
        sorted.sort(Hwmon::compareFiles);
        for (String file : sorted) {
            Kind kind = file.startsWith("temp") ? Kind.TEMPERATURE : file.startsWith("fan") ? Kind.FAN : null;
            if (kind == null || !file.endsWith("_input")) {
                continue;
            }
            String base = file.substring(0, file.length() - "_input".length());
            String label = files.contains(base + "_label") ? read.apply(base + "_label") : null;
            String sensor = chip + "/" + (label == null || label.isEmpty() ? base : label);
            if (!names.add(sensor)) {
                // Two inputs with one label (seen on amdgpu and some Super I/O chips): keep both apart.
                sensor = sensor + " (" + base + ")";
            }
            if (kind == Kind.FAN) {
                inputs.add(new Input(kind, sensor, file, null, null));
            } else {
                inputs.add(new Input(kind, sensor, file,
                        threshold(files, base + "_max", read), threshold(files, base + "_crit", read)));
            }
        }
        return inputs;
    }

    /**
     * The input of one thermal zone: its {@code temp}, named {@code <zone>/<type>}, with the
     * temperatures of its {@code hot} and {@code critical} trip points as thresholds.
     *
     * @param zone the zone's directory name, e.g. {@code thermal_zone0}
     * @param files the names of the files in the zone's directory
     * @param read the trimmed content of one of those files, or {@code null} when it cannot be read
     */
    static Input describeZone(String zone, Collection<String> files, Function<String, String> read) {
        String type = files.contains("type") ? read.apply("type") : null;
        Double high = null;
        Double critical = null;
        for (String file : files) {
            if (!file.startsWith("trip_point_") || !file.endsWith("_type")) {
                continue;
            }
            String trip = file.substring(0, file.length() - "_type".length());
            String tripType = read.apply(file);
            if ("critical".equals(tripType)) {
                critical = threshold(files, trip + "_temp", read);
            } else if ("hot".equals(tripType)) {
                high = threshold(files, trip + "_temp", read);
            }
        }
        return new Input(Kind.TEMPERATURE, zone + "/" + (type == null || type.isEmpty() ? "temp" : type), "temp", high, critical);
    }

    /** By kind ({@code fan} before {@code temp}), then number, then name. */
    private static int compareFiles(String a, String b) {
        int byKind = kindOf(a).compareTo(kindOf(b));
        if (byKind != 0) {
            return byKind;
        }
        int byNumber = Integer.compare(numberOf(a), numberOf(b));
        return byNumber != 0 ? byNumber : a.compareTo(b);
    }

    private static String kindOf(String file) {
        int i = 0;
        while (i < file.length() && Character.isLetter(file.charAt(i))) {
            i++;
        }
        return file.substring(0, i);
    }

    private static int numberOf(String file) {
        int i = kindOf(file).length();
        int n = 0;
        while (i < file.length() && Character.isDigit(file.charAt(i)) && n < 100_000) {
            n = n * 10 + (file.charAt(i++) - '0');
        }
        return n;
    }

    /** The reading of a temperature input in °C, or {@code null} when it is a placeholder. */
    static Double celsius(long millidegrees) {
        double c = millidegrees / 1000.0;
        return c < MIN_PLAUSIBLE_CELSIUS || c > MAX_PLAUSIBLE_CELSIUS ? null : c;
    }

    private static Double threshold(Collection<String> files, String file, Function<String, String> read) {
        if (!files.contains(file)) {
            return null;
        }
        String text = read.apply(file);
        if (text == null) {
            return null;
        }
        try {
            return celsius(Long.parseLong(text));
        } catch (NumberFormatException e) {
            // A threshold is decoration; a garbled one must not cost the reading itself.
            return null;
        }
    }
}
