package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.agent.Fixtures;
import dev.servmon.protocol.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorSourceTest {

    @Test
    void every_chip_of_the_node_exporter_tree_is_read_in_both_attribute_layouts() throws Exception {
        SensorSource.Readings r = new SensorSource(Fixtures.path("node-exporter/sys")).read(1000);

        assertThat(r.temperatures()).extracting(Sample.Temperature::sensor).containsExactly(
                // Two chips named coretemp, no device link in the fixture: told apart by hwmon number.
                "coretemp@hwmon0/Physical id 0", "coretemp@hwmon0/Core 0", "coretemp@hwmon0/Core 1", "coretemp@hwmon0/Core 2",
                "coretemp@hwmon0/Core 3",
                "coretemp@hwmon1/Physical id 0", "coretemp@hwmon1/Core 0", "coretemp@hwmon1/Core 1", "coretemp@hwmon1/Core 2",
                "coretemp@hwmon1/Core 3",
                "hwmon4/foosensor", "hwmon4/foosensor (temp2)",
                "mt7996_phy0_0/temp1", "mt7996_phy0_1/temp1", "mt7996_phy0_2/temp1",
                "nvme/Composite", "nvme/Sensor 1", "nvme/Sensor 2", "nvme/Sensor 8",
                "i350bb/loc1",
                "thermal_zone0/cpu-thermal");
        assertThat(r.temperatures().get(0)).isEqualTo(new Sample.Temperature("coretemp@hwmon0/Physical id 0", 55.0, 84.0, 100.0));
        assertThat(r.temperatures()).filteredOn(t -> t.sensor().equals("nvme/Composite"))
                .containsExactly(new Sample.Temperature("nvme/Composite", 43.85, 84.85, 94.85));
        assertThat(r.temperatures()).filteredOn(t -> t.sensor().equals("nvme/Sensor 1"))
                .containsExactly(new Sample.Temperature("nvme/Sensor 1", 43.85, null, null));
        assertThat(r.temperatures()).last().isEqualTo(new Sample.Temperature("thermal_zone0/cpu-thermal", 12.376, null, null));
        // applesmc keeps its attributes in device/ (hwmon2), nct6779 in its hwmon directory (hwmon3).
        assertThat(r.fans()).containsExactly(
                new Sample.Fan("applesmc/Left side", 0), new Sample.Fan("applesmc/Right side", 1998), new Sample.Fan("nct6779/fan2", 1098));
    }

    @Test
    void thermal_zones_with_trip_points_carry_thresholds_and_cooling_devices_are_not_zones() throws Exception {
        SensorSource.Readings r = new SensorSource(Fixtures.path("documented/sys")).read(1000);

        assertThat(r.temperatures()).containsExactly(
                new Sample.Temperature("thermal_zone0/acpitz", 27.8, null, 119.0),
                new Sample.Temperature("thermal_zone1/x86_pkg_temp", 46.0, 95.0, 105.0));
        assertThat(r.fans()).isEmpty();
    }

    @Test
    void chips_sharing_a_name_are_named_after_their_device(@TempDir Path dir) throws Exception {
        Path sys = Fixtures.copyTree("node-exporter/sys", dir.resolve("sys"));
        Path platform = Files.createDirectories(dir.resolve("sys/devices/platform"));
        Files.createSymbolicLink(sys.resolve("class/hwmon/hwmon0/device"), Files.createDirectories(platform.resolve("coretemp.0")));
        Files.createSymbolicLink(sys.resolve("class/hwmon/hwmon1/device"), Files.createDirectories(platform.resolve("coretemp.1")));

        SensorSource.Readings r = new SensorSource(sys).read(1000);

        assertThat(r.temperatures()).extracting(Sample.Temperature::sensor)
                .contains("coretemp.0/Core 0", "coretemp.1/Core 0")
                .noneMatch(s -> s.startsWith("coretemp@"));
    }

    @Test
    void each_sample_reads_the_inputs_again_and_a_vanished_input_is_left_out(@TempDir Path dir) throws Exception {
        Path sys = Fixtures.copyTree("node-exporter/sys", dir.resolve("sys"));
        SensorSource source = new SensorSource(sys);
        source.read(1000);
        Files.writeString(sys.resolve("class/hwmon/hwmon12/temp1_input"), "61500\n");
        Files.delete(sys.resolve("class/thermal/thermal_zone0/temp"));

        SensorSource.Readings r = source.read(11_000);

        assertThat(r.temperatures()).filteredOn(t -> t.sensor().equals("i350bb/loc1")).extracting(Sample.Temperature::celsius)
                .containsExactly(61.5);
        assertThat(r.temperatures()).extracting(Sample.Temperature::sensor).doesNotContain("thermal_zone0/cpu-thermal");
    }

    @Test
    void a_machine_without_hwmon_or_thermal_classes_has_no_sensors(@TempDir Path dir) throws Exception {
        SensorSource.Readings r = new SensorSource(dir).read(1000);

        assertThat(r.temperatures()).isEmpty();
        assertThat(r.fans()).isEmpty();
    }
}
