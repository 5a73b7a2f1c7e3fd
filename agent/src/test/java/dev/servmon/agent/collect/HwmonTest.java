package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HwmonTest {

    @Test
    void a_chip_lists_its_temperature_inputs_with_labels_and_thresholds_in_number_order() {
        Map<String, String> files = Map.of(
                "name", "coretemp",
                "temp2_input", "54000", "temp2_label", "Core 0", "temp2_max", "84000", "temp2_crit", "100000",
                "temp1_input", "55000", "temp1_label", "Package id 0", "temp1_crit_alarm", "0");

        List<Hwmon.Input> inputs = Hwmon.describeChip("coretemp", files.keySet(), files::get);

        assertThat(inputs).containsExactly(
                new Hwmon.Input(Hwmon.Kind.TEMPERATURE, "coretemp/Package id 0", "temp1_input", null, null),
                new Hwmon.Input(Hwmon.Kind.TEMPERATURE, "coretemp/Core 0", "temp2_input", 84.0, 100.0));
    }

    @Test
    void fans_and_unlabelled_inputs_are_named_after_their_file() {
        Map<String, String> files = Map.of("fan2_input", "1098", "fan2_min", "0", "temp3_input", "40000", "in0_input", "792");

        List<Hwmon.Input> inputs = Hwmon.describeChip("nct6779", files.keySet(), files::get);

        assertThat(inputs).extracting(Hwmon.Input::sensor).containsExactly("nct6779/fan2", "nct6779/temp3");
        assertThat(inputs.get(0).kind()).isEqualTo(Hwmon.Kind.FAN);
    }

    @Test
    void placeholder_thresholds_of_nvme_drives_are_dropped_and_duplicate_labels_kept_apart() {
        Map<String, String> files = Map.of(
                "temp1_input", "43850", "temp1_label", "Sensor 1", "temp1_max", "65261850", "temp1_min", "-273150",
                "temp2_input", "45850", "temp2_label", "Sensor 1");

        List<Hwmon.Input> inputs = Hwmon.describeChip("nvme", files.keySet(), files::get);

        assertThat(inputs.get(0).highCelsius()).isNull();
        assertThat(inputs).extracting(Hwmon.Input::sensor).containsExactly("nvme/Sensor 1", "nvme/Sensor 1 (temp2)");
    }

    @Test
    void a_thermal_zone_takes_its_hot_and_critical_trip_points_as_thresholds() {
        Map<String, String> files = Map.of("type", "x86_pkg_temp", "temp", "46000",
                "trip_point_0_type", "passive", "trip_point_0_temp", "0",
                "trip_point_1_type", "hot", "trip_point_1_temp", "95000",
                "trip_point_2_type", "critical", "trip_point_2_temp", "105000");

        Hwmon.Input zone = Hwmon.describeZone("thermal_zone1", files.keySet(), files::get);

        assertThat(zone).isEqualTo(new Hwmon.Input(Hwmon.Kind.TEMPERATURE, "thermal_zone1/x86_pkg_temp", "temp", 95.0, 105.0));
    }

    @Test
    void readings_are_millidegrees_and_placeholders_are_no_reading() {
        assertThat(Hwmon.celsius(43850)).isEqualTo(43.85);
        assertThat(Hwmon.celsius(-5000)).isEqualTo(-5.0);
        assertThat(Hwmon.celsius(-273150)).isNull();
        assertThat(Hwmon.celsius(65261850)).isNull();
    }
}
