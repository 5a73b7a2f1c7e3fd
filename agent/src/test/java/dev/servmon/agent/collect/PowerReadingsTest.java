package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servmon.agent.Fixtures;
import org.junit.jupiter.api.Test;

class PowerReadingsTest {

    @Test
    void an_energy_gauge_battery_reports_its_power_while_discharging() {
        // POWER_SUPPLY_POWER_NOW=5002000 (µW)
        assertThat(PowerReadings.batteryDischargeWatts(Fixtures.text("node-exporter/sys/class/power_supply/BAT0/uevent")))
                .isEqualTo(5.002);
    }

    @Test
    void a_charge_gauge_battery_reports_current_times_voltage_whatever_the_current_sign() {
        // CURRENT_NOW=-1372000 µA, VOLTAGE_NOW=12204000 µV
        assertThat(PowerReadings.batteryDischargeWatts(Fixtures.text("documented/battery-charge-uevent")))
                .isCloseTo(1.372 * 12.204, within(1e-9));
    }

    @Test
    void a_battery_that_is_charging_full_or_not_measuring_gives_no_figure() {
        String discharging = Fixtures.text("node-exporter/sys/class/power_supply/BAT0/uevent");

        assertThat(PowerReadings.batteryDischargeWatts(discharging.replace("Discharging", "Charging"))).isNull();
        assertThat(PowerReadings.batteryDischargeWatts(discharging.replace("Discharging", "Full"))).isNull();
        assertThat(PowerReadings.batteryDischargeWatts(discharging.replace("POWER_NOW=5002000", "POWER_NOW=0"))).isNull();
        assertThat(PowerReadings.batteryDischargeWatts(Fixtures.text("node-exporter/sys/class/power_supply/AC/uevent"))).isNull();
        assertThat(PowerReadings.batteryDischargeWatts("POWER_SUPPLY_STATUS=Discharging\n")).isNull();
    }

    @Test
    void the_instantaneous_reading_is_read_from_both_ipmitool_layouts() {
        assertThat(PowerReadings.ipmiDcmiWatts(Fixtures.text("documented/ipmitool-dcmi-1.8.18"))).isEqualTo(346.0);
        assertThat(PowerReadings.ipmiDcmiWatts(Fixtures.text("documented/ipmitool-dcmi-1.8.19"))).isEqualTo(195.0);
        assertThat(PowerReadings.ipmiDcmiWatts("Instantaneous power reading              : 214      Watts\n"
                + "Power reading state is                   : activated\n")).isEqualTo(214.0);
    }

    @Test
    void a_deactivated_power_reading_or_no_reading_gives_no_figure() {
        assertThat(PowerReadings.ipmiDcmiWatts(Fixtures.text("documented/ipmitool-dcmi-deactivated"))).isNull();
        assertThat(PowerReadings.ipmiDcmiWatts("    DCMI request failed because: Invalid data field in request (cc)\n")).isNull();
        assertThatThrownBy(() -> PowerReadings.ipmiDcmiWatts("    Instantaneous power reading:   n/a Watts\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n/a");
    }
}
