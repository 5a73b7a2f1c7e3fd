package dev.servmon.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogTest {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static String utc(long epochMs) {
        StringBuilder sb = new StringBuilder();
        Log.appendUtc(sb, epochMs);
        return sb.toString();
    }

    @Test
    void timestamps_match_java_time_across_leap_years_century_rules_and_day_edges() {
        long[] edges = {
            0L, -1L, 1L, 951_782_400_000L, 951_868_799_999L, // 2000-02-29, a leap day of a 400-year century
            4_107_542_399_999L, 4_107_542_400_000L, // 2100-02-28T23:59:59.999 and 2100-03-01 (no leap day)
            1_700_000_000_123L, 253_402_300_799_999L, // 9999-12-31T23:59:59.999
            -62_167_219_200_000L, // 0000-01-01
        };
        for (long ms : edges) {
            assertThat(utc(ms)).as("epoch ms %d", ms).isEqualTo(ISO_MILLIS.format(java.time.Instant.ofEpochMilli(ms)));
        }
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 200_000; i++) {
            long ms = random.nextLong(-62_167_219_200_000L, 253_402_300_800_000L);
            assertThat(utc(ms)).as("epoch ms %d", ms).isEqualTo(ISO_MILLIS.format(java.time.Instant.ofEpochMilli(ms)));
        }
    }

    @Test
    void a_line_has_the_hubs_shape_with_the_level_padded_to_five() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream before = Log.swapOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Log.get(LogTest.class).info("sent {} samples to \"{}\"", 3, "hub");
            Log.get(LogTest.class).error("failed", new IllegalStateException("boom"));
        } finally {
            Log.swapOutput(before);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\\R");
        assertThat(lines[0]).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z level=INFO  logger=LogTest thread=\\S+ "
                + "msg=\"sent 3 samples to \\\\\"hub\\\\\"\"");
        assertThat(lines[1]).contains(" level=ERROR logger=LogTest ").endsWith("msg=\"failed\"");
        assertThat(lines[2]).isEqualTo("java.lang.IllegalStateException: boom");
    }
}
