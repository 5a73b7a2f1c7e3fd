package dev.servmon.agent.collect;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The processor as {@code /proc/cpuinfo} describes it.
 *
 * @param model the model name, or {@code null} when the file does not give one
 * @param logicalCores logical processors (the {@code processor} entries)
 * @param physicalCores distinct (package, core) pairs, or {@code null} when the file has no
 *     topology (most ARM kernels)
 */
record CpuInfo(String model, int logicalCores, Integer physicalCores) {

    /** ARM designers and cores by the codes of {@code CPU implementer} and {@code CPU part}, as lscpu names them. */
    private static final Map<String, String> ARM_IMPLEMENTERS = Map.of(
            "0x41", "ARM", "0x42", "Broadcom", "0x43", "Cavium", "0x48", "HiSilicon", "0x4e", "NVIDIA",
            "0x50", "APM", "0x51", "Qualcomm", "0x61", "Apple", "0xc0", "Ampere");
    private static final Map<String, String> ARM_PARTS = Map.ofEntries(
            Map.entry("0xd03", "Cortex-A53"), Map.entry("0xd05", "Cortex-A55"), Map.entry("0xd07", "Cortex-A57"),
            Map.entry("0xd08", "Cortex-A72"), Map.entry("0xd0a", "Cortex-A75"), Map.entry("0xd0b", "Cortex-A76"),
            Map.entry("0xd0c", "Neoverse-N1"), Map.entry("0xd40", "Neoverse-V1"), Map.entry("0xd41", "Cortex-A78"),
            Map.entry("0xd49", "Neoverse-N2"), Map.entry("0xd4f", "Neoverse-V2"), Map.entry("0xd8e", "Neoverse-N3"));

    /**
     * Parses the text of {@code /proc/cpuinfo}: blank-line separated blocks of
     * {@code key\t: value} lines, one block per logical processor.
     *
     * <p>The model comes from {@code model name} (x86), else {@code Model} (Raspberry Pi and
     * other boards), else {@code cpu} (POWER), else the ARM {@code CPU implementer} and
     * {@code CPU part} codes.
     */
    static CpuInfo parse(String text) {
        int logical = 0;
        String modelName = null;
        String boardModel = null;
        String powerCpu = null;
        String implementer = null;
        String part = null;
        String physicalId = null;
        String coreId = null;
        Set<String> cores = new HashSet<>();
        boolean topology = false;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.isBlank() && coreId != null) {
                    cores.add(physicalId + "/" + coreId);
                    coreId = null;
                }
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "processor" -> logical++;
                case "model name" -> modelName = modelName == null ? value : modelName;
                case "Model" -> boardModel = value;
                case "cpu" -> powerCpu = powerCpu == null ? value : powerCpu;
                case "CPU implementer" -> implementer = implementer == null ? value : implementer;
                case "CPU part" -> part = part == null ? value : part;
                case "physical id" -> physicalId = value;
                case "core id" -> {
                    coreId = value;
                    topology = true;
                }
                default -> { }
            }
        }
        if (coreId != null) {
            // The last block may end without a blank line.
            cores.add(physicalId + "/" + coreId);
        }
        String model = modelName != null ? modelName
                : boardModel != null ? boardModel
                : powerCpu != null ? powerCpu
                : arm(implementer, part);
        return new CpuInfo(model, logical, topology ? cores.size() : null);
    }

    private static String arm(String implementer, String part) {
        if (implementer == null) {
            return null;
        }
        String designer = ARM_IMPLEMENTERS.getOrDefault(implementer, "implementer " + implementer);
        String core = part == null ? null : ARM_PARTS.get(part);
        if (core != null && implementer.equals("0x41")) {
            return designer + " " + core;
        }
        return part == null ? designer : designer + " part " + part;
    }
}
