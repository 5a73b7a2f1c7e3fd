package dev.servmon.agent.collect;

import dev.servmon.agent.Log;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Temperatures and fan speeds from {@code /sys/class/hwmon} and {@code /sys/class/thermal}.
 *
 * <p>The sensors are found (directories listed, labels and thresholds read) on the first call
 * and again every {@link #REDISCOVER_MILLIS}, to see hot-plugged devices such as a USB drive;
 * in between, a sample reads one small file per sensor.
 */
final class SensorSource {
    /** How often the sensor directories are listed again. */
    static final long REDISCOVER_MILLIS = 5 * 60_000;
    private static final Log log = Log.get(SensorSource.class);

    private final Path hwmonDir;
    private final Path thermalDir;
    private final SmallFile file = new SmallFile(64);
    private final Set<String> failingInputs = new HashSet<>();
    private final Cadence discovery = new Cadence(REDISCOVER_MILLIS);
    private List<Located> inputs;

    /** @param sys the directory standing for {@code /sys} */
    SensorSource(Path sys) {
        this.hwmonDir = sys.resolve("class/hwmon");
        this.thermalDir = sys.resolve("class/thermal");
    }

    /** Readings of this sample. */
    record Readings(List<Sample.Temperature> temperatures, List<Sample.Fan> fans) {}

    private record Located(Hwmon.Input input, String path) {}

    /**
     * Reads every sensor. A sensor whose input cannot be read (some drivers answer EIO or
     * ENODATA for an unconnected probe) is left out; the others are still read.
     *
     * @param atMs the sample's time, which decides when to look for new sensors
     */
    Readings read(long atMs) throws IOException {
        if (discovery.due(atMs) || inputs == null) {
            inputs = discover();
        }
        List<Sample.Temperature> temperatures = new ArrayList<>();
        List<Sample.Fan> fans = new ArrayList<>();
        for (Located l : inputs) {
            long value;
            try {
                file.read(l.path);
                value = file.number();
                if (failingInputs.remove(l.path)) {
                    log.debug("servmon agent: sensor {} can be read again", l.path);
                }
            } catch (IOException | NumberFormatException e) {
                if (failingInputs.add(l.path)) {
                    log.debug("servmon agent: sensor {} cannot be read ({}); left out while it fails", l.path, e.toString());
                }
                continue;
            }
            Hwmon.Input in = l.input;
            if (in.kind() == Hwmon.Kind.FAN) {
                fans.add(new Sample.Fan(in.sensor(), value));
            } else {
                Double celsius = Hwmon.celsius(value);
                if (celsius != null) {
                    temperatures.add(new Sample.Temperature(in.sensor(), celsius, in.highCelsius(), in.criticalCelsius()));
                }
            }
        }
        return new Readings(temperatures, fans);
    }

    /** Finds every sensor input now present. */
    List<Located> discover() throws IOException {
        List<Located> found = new ArrayList<>();
        List<Path> chips = entries(hwmonDir, "hwmon");
        List<String> names = new ArrayList<>();
        Map<String, Integer> nameCount = new HashMap<>();
        for (Path chip : chips) {
            String name = SmallFile.readTrimmed(attributeDir(chip).resolve("name"));
            name = name == null || name.isEmpty() ? chip.getFileName().toString() : name;
            names.add(name);
            nameCount.merge(name, 1, Integer::sum);
        }
        for (int i = 0; i < chips.size(); i++) {
            Path dir = attributeDir(chips.get(i));
            String name = names.get(i);
            String chip = nameCount.get(name) > 1 ? qualified(name, chips.get(i)) : name;
            for (Hwmon.Input in : Hwmon.describeChip(chip, DirEntries.names(dir), f -> readOrNull(dir.resolve(f)))) {
                found.add(new Located(in, dir.resolve(in.input()).toString()));
            }
        }
        for (Path zone : entries(thermalDir, "thermal_zone")) {
            Set<String> files = DirEntries.names(zone);
            if (files.contains("temp")) {
                Hwmon.Input in = Hwmon.describeZone(zone.getFileName().toString(), files, f -> readOrNull(zone.resolve(f)));
                found.add(new Located(in, zone.resolve(in.input()).toString()));
            }
        }
        return found;
    }

    /**
     * The directory holding a chip's attributes: the hwmon directory itself, or its
     * {@code device} directory for drivers written before Linux 3.x moved them (applesmc).
     */
    private static Path attributeDir(Path chip) throws IOException {
        if (Files.exists(chip.resolve("name"))) {
            return chip;
        }
        Path device = chip.resolve("device");
        if (Files.exists(device.resolve("name"))) {
            return device;
        }
        for (String name : DirEntries.names(chip)) {
            if (name.endsWith("_input")) {
                return chip;
            }
        }
        return Files.isDirectory(device) ? device : chip;
    }

    /**
     * A name for one of several chips sharing a driver name: the device it belongs to
     * ({@code coretemp.1}, {@code nvme0}), which stays the same across reboots unlike the
     * hwmon number.
     */
    private static String qualified(String name, Path chip) {
        String device;
        try {
            device = chip.resolve("device").toRealPath().getFileName().toString();
        } catch (IOException e) {
            // No device link (virtual chips): the hwmon number is all there is.
            device = chip.getFileName().toString();
        }
        return device.startsWith(name) ? device : name + "@" + device;
    }

    /** Entries {@code <prefix><number>} of {@code dir}, in numeric order; empty when the class is absent. */
    private static List<Path> entries(Path dir, String prefix) throws IOException {
        List<Path> numbered = new ArrayList<>();
        for (Path p : DirEntries.sorted(dir)) {
            if (isNumbered(p.getFileName().toString(), prefix)) {
                numbered.add(p);
            }
        }
        numbered.sort(new NumberOrder(prefix.length()));
        return numbered;
    }

    /** Orders {@code <prefix><number>} entries by their number: hwmon2 before hwmon10. */
    private static final class NumberOrder implements Comparator<Path> {
        private final int prefixLength;

        NumberOrder(int prefixLength) {
            this.prefixLength = prefixLength;
        }

        @Override
        public int compare(Path a, Path b) {
            return Integer.compare(number(a), number(b));
        }

        private int number(Path p) {
            return Integer.parseInt(p.getFileName().toString().substring(prefixLength));
        }
    }

    private static boolean isNumbered(String name, String prefix) {
        if (!name.startsWith(prefix) || name.length() == prefix.length() || name.length() - prefix.length() > 9) {
            return false;
        }
        for (int i = prefix.length(); i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }


    private static String readOrNull(Path file) {
        try {
            return SmallFile.readTrimmed(file);
        } catch (IOException e) {
            // Labels and thresholds are optional decoration: say so, and go on without.
            log.debug("servmon agent: cannot read {}: {}", file, e.toString());
            return null;
        }
    }
}
