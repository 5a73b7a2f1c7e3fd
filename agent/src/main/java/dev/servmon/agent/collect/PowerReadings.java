package dev.servmon.agent.collect;

/**
 * Parsers of the two power sources other than RAPL: a battery's {@code uevent} file and the
 * output of {@code ipmitool dcmi power reading}.
 */
final class PowerReadings {
    private static final String INSTANTANEOUS = "Instantaneous power reading";
    private static final String STATE = "Power reading state is";

    private PowerReadings() {}

    /**
     * The power a battery delivers, from the text of
     * {@code /sys/class/power_supply/<battery>/uevent}, or {@code null} when it is not
     * discharging (on mains, the battery says nothing about the machine's draw) or reports
     * nothing usable.
     *
     * <p>Batteries report either {@code POWER_SUPPLY_POWER_NOW} (µW; energy-based fuel gauges)
     * or {@code POWER_SUPPLY_CURRENT_NOW} (µA) and {@code POWER_SUPPLY_VOLTAGE_NOW} (µV;
     * charge-based gauges). Some drivers give the current a negative sign while discharging,
     * so the magnitude is used. A zero while discharging is a gauge that does not measure, not
     * a machine drawing nothing: {@code null}.
     */
    static Double batteryDischargeWatts(String uevent) {
        String status = null;
        Long powerNow = null;
        Long currentNow = null;
        Long voltageNow = null;
        for (String line : uevent.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            switch (key) {
                case "POWER_SUPPLY_STATUS" -> status = value;
                case "POWER_SUPPLY_POWER_NOW" -> powerNow = number(value);
                case "POWER_SUPPLY_CURRENT_NOW" -> currentNow = number(value);
                case "POWER_SUPPLY_VOLTAGE_NOW" -> voltageNow = number(value);
                default -> { }
            }
        }
        if (!"Discharging".equals(status)) {
            return null;
        }
        double watts;
        if (powerNow != null) {
            watts = Math.abs(powerNow) / 1e6;
        } else if (currentNow != null && voltageNow != null) {
            watts = Math.abs(currentNow) / 1e6 * (Math.abs(voltageNow) / 1e6);
        } else {
            return null;
        }
        return watts > 0 ? watts : null;
    }

    /**
     * The instantaneous reading in watts from the output of {@code ipmitool dcmi power
     * reading}, or {@code null} when the BMC says power reading is deactivated (the figure is
     * then a stale 0) or prints no reading.
     *
     * <p>Lines are {@code Name: value} with the colon right after the name
     * ({@code ipmitool} up to 1.8.18 and its current sources) or after padding; the value is
     * the text after the first colon either way.
     *
     * @throws IllegalArgumentException when the reading line holds no number
     */
    static Double ipmiDcmiWatts(String output) {
        Double watts = null;
        for (String line : output.split("\n")) {
            String l = line.strip();
            int colon = l.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String value = l.substring(colon + 1).strip();
            if (l.startsWith(STATE) && value.startsWith("deactivated")) {
                return null;
            }
            if (l.startsWith(INSTANTANEOUS)) {
                int space = value.indexOf(' ');
                String digits = space < 0 ? value : value.substring(0, space);
                try {
                    watts = Double.parseDouble(digits);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("malformed ipmitool power reading: " + l, e);
                }
            }
        }
        return watts;
    }

    private static Long number(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed number '" + value + "' in a power_supply uevent file", e);
        }
    }
}
