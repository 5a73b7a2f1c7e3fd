package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.servmon.agent.Fixtures;
import dev.servmon.protocol.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PowerMeterTest {
    private static final Sample.Gpu A100 = new Sample.Gpu(0, "A100", 50.0, 1L, 2L, 300.0, 60.0);

    @Test
    void sources_are_chosen_by_how_much_of_the_machine_they_cover() {
        assertThat(PowerMeter.choose(400.0, 120.0, 15.0, List.of(A100))).isEqualTo(new PowerMeter.Reading(400.0, "ipmi"));
        assertThat(PowerMeter.choose(null, 120.0, 15.0, List.of(A100))).isEqualTo(new PowerMeter.Reading(120.0, "rapl"));
        assertThat(PowerMeter.choose(null, null, 15.0, List.of(A100))).isEqualTo(new PowerMeter.Reading(15.0, "battery"));
        assertThat(PowerMeter.choose(null, null, null, List.of(A100, A100))).isEqualTo(new PowerMeter.Reading(600.0, "gpu"));
        assertThat(PowerMeter.choose(null, null, null, List.of(new Sample.Gpu(0, "GT 710", null, null, null, null, 40.0)))).isNull();
        assertThat(PowerMeter.choose(null, null, null, null)).isNull();
    }

    @Test
    void rapl_needs_two_readings_and_then_gives_the_average_power(@TempDir Path dir) throws Exception {
        Path sys = Fixtures.copyTree("node-exporter/sys", dir.resolve("sys"));
        Files.delete(sys.resolve("class/power_supply/BAT0/uevent"));
        PowerMeter meter = new PowerMeter(sys, dir.resolve("dev"), null);

        assertThat(meter.read(1000, List.of())).as("first reading only primes the counters").isNull();
        Path energy = sys.resolve("class/powercap/intel-rapl:0/energy_uj");
        long before = Long.parseLong(Files.readString(energy).trim());
        long start = System.nanoTime();
        Files.writeString(energy, Long.toString(before + 20_000_000L) + "\n");
        Thread.sleep(200);
        PowerMeter.Reading r = meter.read(2000, List.of());
        double elapsed = (System.nanoTime() - start) / 1e9;

        assertThat(r.source()).isEqualTo("rapl");
        // 20 J over the meter's window, which spans the 200 ms sleep and little more than our measured time.
        assertThat(r.watts()).isBetween(20 / (elapsed + 1), 20 / 0.2);
    }

    @Test
    void on_battery_without_rapl_the_discharge_rate_is_the_power(@TempDir Path dir) throws Exception {
        Path sys = Fixtures.copyTree("node-exporter/sys", dir.resolve("sys"));
        LinuxCollectorTest.deleteTree(sys.resolve("class/powercap"));
        PowerMeter meter = new PowerMeter(sys, dir.resolve("dev"), null);

        assertThat(meter.read(1000, List.of())).isEqualTo(new PowerMeter.Reading(5.002, "battery"));
        Files.writeString(sys.resolve("class/power_supply/BAT0/uevent"),
                Files.readString(sys.resolve("class/power_supply/BAT0/uevent")).replace("Discharging", "Charging"));
        assertThat(meter.read(2000, List.of())).as("on mains: nothing measures the machine").isNull();
    }

    @Test
    void the_bmc_is_asked_once_a_minute_and_its_answer_reused_in_between(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("calls");
        Files.writeString(bin.resolve("ipmitool"), "#!/bin/sh\necho x >> '" + calls + "'\ncat '"
                + Fixtures.path("documented/ipmitool-dcmi-1.8.19") + "'\n");
        Files.setPosixFilePermissions(bin.resolve("ipmitool"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("dev/ipmi"));
        Files.createFile(dir.resolve("dev/ipmi/0"));
        PowerMeter meter = new PowerMeter(dir.resolve("sys"), dir.resolve("dev"), bin.toString());

        for (long t = 0; t <= 50_000; t += 10_000) {
            assertThat(meter.read(1_000_000 + t, List.of())).isEqualTo(new PowerMeter.Reading(195.0, "ipmi"));
        }
        assertThat(Files.readAllLines(calls)).hasSize(1);
        meter.read(1_060_000, List.of());
        assertThat(Files.readAllLines(calls)).hasSize(2);
    }

    @Test
    void without_an_ipmi_device_node_ipmitool_is_never_run(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("calls");
        Files.writeString(bin.resolve("ipmitool"), "#!/bin/sh\necho x >> '" + calls + "'\n");
        Files.setPosixFilePermissions(bin.resolve("ipmitool"), PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(new PowerMeter(dir.resolve("sys"), dir.resolve("dev"), bin.toString()).read(1000, List.of())).isNull();
        assertThat(calls).doesNotExist();
    }

    @Test
    void root_only_rapl_counters_are_given_up_for_good_without_failing_the_other_sources(@TempDir Path dir) throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads files whatever their mode");
        Path sys = Fixtures.copyTree("node-exporter/sys", dir.resolve("sys"));
        Files.setPosixFilePermissions(sys.resolve("class/powercap/intel-rapl:0/energy_uj"), PosixFilePermissions.fromString("---------"));
        PowerMeter meter = new PowerMeter(sys, dir.resolve("dev"), null);

        assertThat(meter.read(1000, List.of())).isEqualTo(new PowerMeter.Reading(5.002, "battery"));
        assertThat(meter.read(2000, List.of())).isEqualTo(new PowerMeter.Reading(5.002, "battery"));
    }
}
