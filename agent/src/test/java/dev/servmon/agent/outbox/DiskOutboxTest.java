package dev.servmon.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk outbox on real files: what survives restarts, crashes and damage, and what its bounds drop. */
class DiskOutboxTest {
    private static final long NOW_MS = 1_700_000_000_000L;
    /** Every test payload is this long, so record offsets are easy to compute. */
    private static final int PAYLOAD_BYTES = 100;
    private static final int RECORD_BYTES = SegmentFormat.RECORD_HEADER_BYTES + PAYLOAD_BYTES;
    private static final long SEGMENT_BYTES = SegmentFormat.FILE_HEADER_BYTES + 10 * RECORD_BYTES;

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(NOW_MS);
    private final List<DiskOutbox> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(DiskOutbox::close);
    }

    @Test
    void samples_come_out_oldest_first_leave_only_when_acknowledged_and_survive_a_restart() throws IOException {
        DiskOutbox outbox = open(dir);
        addAll(outbox, 1, 5);

        assertThat(seqs(outbox.oldest(3, Integer.MAX_VALUE))).containsExactly(1L, 2L, 3L);
        assertThat(seqs(outbox.oldest(3, Integer.MAX_VALUE))).containsExactly(1L, 2L, 3L);
        assertThat(outbox.oldest(1, Integer.MAX_VALUE).get(0))
                .satisfies(e -> assertThat(e.atMs()).isEqualTo(NOW_MS + 1000))
                .satisfies(e -> assertThat(e.json()).isEqualTo(payload(1)));
        assertThat(outbox.removeThrough(2)).isEqualTo(2);
        assertThat(outbox.removeThrough(2)).isZero();
        assertThat(outbox.size()).isEqualTo(3);
        outbox.close();

        DiskOutbox reopened = open(dir);
        assertThat(reopened.size()).isEqualTo(3);
        assertThat(reopened.oldest(10, Integer.MAX_VALUE)).extracting(Outbox.Entry::seq).containsExactly(3L, 4L, 5L);
        assertThat(reopened.oldest(10, Integer.MAX_VALUE).get(2).json()).isEqualTo(payload(5));
        addAll(reopened, 6, 6);
        assertThat(seqs(reopened.oldest(10, Integer.MAX_VALUE))).containsExactly(3L, 4L, 5L, 6L);
        assertThat(reopened.survivesRestart()).isTrue();
    }

    @Test
    void a_restart_after_a_partial_acknowledgement_resumes_after_the_last_acknowledged_seq() throws IOException {
        DiskOutbox outbox = open(dir);
        addAll(outbox, 1, 25); // three segments
        outbox.removeThrough(13);
        outbox.close();

        DiskOutbox reopened = open(dir);
        assertThat(reopened.size()).isEqualTo(12);
        assertThat(reopened.oldest(100, Integer.MAX_VALUE).get(0).seq()).isEqualTo(14);
        assertThat(Files.readString(dir.resolve(DiskOutbox.POSITION_FILE)).strip()).isEqualTo("13");
    }

    @Test
    void what_add_wrote_is_on_disk_before_it_returns_so_a_killed_agent_loses_nothing() throws IOException {
        DiskOutbox running = open(dir);
        addAll(running, 1, 15);
        running.removeThrough(4);
        running.removeThrough(6); // within a second of the last save: not saved yet

        // Copy the files as a kill -9 would leave them: no close(), no final fsync or position save.
        Path copy = copyOf(dir);
        DiskOutbox afterKill = open(copy);
        assertThat(seqs(afterKill.oldest(100, Integer.MAX_VALUE))).as("what was acknowledged in the last second is sent again")
                .containsExactlyElementsOf(LongStream.rangeClosed(5, 15).boxed().toList());
    }

    @Test
    void an_incomplete_record_at_the_end_is_cut_off_and_logged_and_appending_goes_on_after_it() throws IOException {
        DiskOutbox outbox = open(dir);
        addAll(outbox, 1, 3);
        outbox.close();
        Path segment = onlySegment(dir);
        long complete = Files.size(segment);
        appendBytes(segment, java.util.Arrays.copyOf(SegmentFormat.encode(new java.util.zip.CRC32C(), 4, 4000, payload(4)).array(), 40));

        try (LogCapture logs = LogCapture.of(DiskOutbox.class)) {
            DiskOutbox reopened = open(dir);

            assertThat(seqs(reopened.oldest(10, Integer.MAX_VALUE))).containsExactly(1L, 2L, 3L);
            assertThat(Files.size(segment)).isEqualTo(complete);
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN").contains(segment.toString())
                    .contains("incomplete record at offset " + complete).contains("cut it off"));
            addAll(reopened, 4, 5);
            assertThat(seqs(reopened.oldest(10, Integer.MAX_VALUE))).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    @Test
    void a_damaged_record_in_the_middle_is_skipped_the_rest_kept_and_the_log_names_file_and_offset() throws IOException {
        DiskOutbox outbox = open(dir);
        addAll(outbox, 1, 5);
        outbox.close();
        Path segment = onlySegment(dir);
        long third = recordOffset(2);
        flipBytes(segment, third + SegmentFormat.RECORD_HEADER_BYTES + 10, 3);

        try (LogCapture logs = LogCapture.of(DiskOutbox.class)) {
            DiskOutbox reopened = open(dir);

            assertThat(seqs(reopened.oldest(10, Integer.MAX_VALUE))).containsExactly(1L, 2L, 4L, 5L);
            assertThat(reopened.size()).isEqualTo(4);
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("WARN")).singleElement().asString()
                    .contains(segment.toString()).contains(RECORD_BYTES + " damaged bytes at offset " + third).contains("kept the records after");
        }
    }

    @Test
    void damage_that_hits_a_length_field_or_a_marker_is_also_skipped() throws IOException {
        DiskOutbox outbox = open(dir);
        addAll(outbox, 1, 6);
        outbox.close();
        Path segment = onlySegment(dir);
        flipBytes(segment, recordOffset(1) + 5, 1);  // length of seq 2
        flipBytes(segment, recordOffset(3), 2);      // marker of seq 4

        DiskOutbox reopened = open(dir);

        assertThat(seqs(reopened.oldest(10, Integer.MAX_VALUE))).containsExactly(1L, 3L, 5L, 6L);
        reopened.removeThrough(6);
        assertThat(reopened.size()).isZero();
    }

    @Test
    void damage_that_appears_while_running_is_skipped_and_what_could_not_be_read_counts_as_dropped() throws IOException {
        DiskOutbox outbox = open(dir);
        addAll(outbox, 1, 4);
        flipBytes(onlySegment(dir), recordOffset(1) + SegmentFormat.RECORD_HEADER_BYTES, 1);

        assertThat(seqs(outbox.oldest(10, Integer.MAX_VALUE))).containsExactly(1L, 3L, 4L);
        assertThat(outbox.removeThrough(4)).isEqualTo(3);
        assertThat(outbox.size()).isZero();
        assertThat(outbox.droppedCount()).isEqualTo(1);
        assertThat(outbox.oldest(10, Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void every_cut_point_inside_the_last_record_keeps_all_complete_records() throws IOException {
        DiskOutbox outbox = open(dir);
        addAll(outbox, 1, 4);
        outbox.close();
        byte[] segment = Files.readAllBytes(onlySegment(dir));
        long lastStart = recordOffset(3);

        for (long cut = lastStart; cut < segment.length; cut++) {
            Path crashed = Files.createDirectory(dir.resolve("cut-" + cut));
            Files.write(crashed.resolve(SegmentFormat.fileName(1)), java.util.Arrays.copyOf(segment, (int) cut));

            DiskOutbox reopened = open(crashed);
            assertThat(seqs(reopened.oldest(10, Integer.MAX_VALUE))).as("cut at %d", cut).containsExactly(1L, 2L, 3L);
            addAll(reopened, 4, 4);
            reopened.close();
            DiskOutbox again = open(crashed);
            assertThat(seqs(again.oldest(10, Integer.MAX_VALUE))).as("appended after the cut at %d", cut)
                    .containsExactly(1L, 2L, 3L, 4L);
            again.close();
        }
    }

    @Test
    void a_cut_anywhere_in_a_segment_keeps_exactly_the_records_that_were_complete() throws IOException {
        DiskOutbox outbox = open(dir, 4L << 20, 1L << 20);
        addAll(outbox, 1, 40);
        outbox.close();
        byte[] segment = Files.readAllBytes(onlySegment(dir));
        Random random = new Random(20261124);

        for (int i = 0; i < 60; i++) {
            int cut = SegmentFormat.FILE_HEADER_BYTES + random.nextInt(segment.length - SegmentFormat.FILE_HEADER_BYTES);
            Path crashed = Files.createDirectory(dir.resolve("cut-" + i));
            Files.write(crashed.resolve(SegmentFormat.fileName(7)), java.util.Arrays.copyOf(segment, cut));

            long complete = (cut - SegmentFormat.FILE_HEADER_BYTES) / RECORD_BYTES;
            DiskOutbox reopened = open(crashed);
            assertThat(seqs(reopened.oldest(100, Integer.MAX_VALUE))).as("cut at %d", cut)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, complete).boxed().toList());
            reopened.close();
        }
    }

    @Test
    void segments_roll_at_their_size_and_are_deleted_once_every_sample_in_them_is_acknowledged() throws IOException {
        DiskOutbox outbox = open(dir);
        addAll(outbox, 1, 25);

        assertThat(segmentFiles(dir)).hasSize(3);
        assertThat(segmentFiles(dir)).allSatisfy(p -> assertThat(Files.size(p)).isLessThanOrEqualTo(SEGMENT_BYTES));
        outbox.removeThrough(9);
        assertThat(segmentFiles(dir)).hasSize(3);
        outbox.removeThrough(10);
        assertThat(segmentFiles(dir)).hasSize(2);
        outbox.removeThrough(25);
        assertThat(segmentFiles(dir)).as("the segment written to stays").hasSize(1);
        assertThat(outbox.totalBytes()).isEqualTo(Files.size(segmentFiles(dir).get(0)));
        addAll(outbox, 26, 40);
        assertThat(segmentFiles(dir)).hasSize(2);
        assertThat(seqs(outbox.oldest(100, Integer.MAX_VALUE))).containsExactlyElementsOf(LongStream.rangeClosed(26, 40).boxed().toList());
    }

    @Test
    void the_size_bound_drops_the_oldest_segment_counts_what_it_held_and_warns_with_the_seq_range() throws IOException {
        DiskOutbox outbox = open(dir, 3 * SEGMENT_BYTES);
        try (LogCapture logs = LogCapture.of(DiskOutbox.class)) {
            addAll(outbox, 1, 30);
            assertThat(outbox.droppedCount()).isZero();
            outbox.removeThrough(3);

            addAll(outbox, 31, 31);

            assertThat(outbox.droppedCount()).isEqualTo(7);
            assertThat(seqs(outbox.oldest(100, Integer.MAX_VALUE))).containsExactlyElementsOf(LongStream.rangeClosed(11, 31).boxed().toList());
            assertThat(outbox.size()).isEqualTo(21);
            assertThat(outbox.totalBytes()).isLessThanOrEqualTo(3 * SEGMENT_BYTES);
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("WARN")).singleElement().asString()
                    .contains("dropped the 7 oldest").contains("seq 4..10").contains("bound");
        }
        outbox.close();
        assertThat(seqs(open(dir, 3 * SEGMENT_BYTES).oldest(100, Integer.MAX_VALUE)).get(0)).isEqualTo(11);
    }

    @Test
    void samples_older_than_the_age_bound_are_dropped_unsent_counted_and_logged() throws IOException {
        DiskOutbox outbox = open(dir);
        for (long seq = 1; seq <= 25; seq++) {
            outbox.add(seq, NOW_MS + seq * 60_000, payload(seq));
        }
        // A week after seq 12 was taken: 1..12 are too old.
        clock.set(NOW_MS + 12 * 60_000 + Duration.ofDays(7).toMillis() + 1);

        try (LogCapture logs = LogCapture.of(DiskOutbox.class)) {
            assertThat(outbox.oldest(100, Integer.MAX_VALUE).get(0).seq()).isEqualTo(13);
            assertThat(outbox.droppedCount()).isEqualTo(12);
            assertThat(outbox.size()).isEqualTo(13);
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN")
                    .contains("dropped 12 samples (seq 1..12) older than 7 d"));
        }
        assertThat(segmentFiles(dir)).as("the first segment is gone").hasSize(2);
    }

    @Test
    void whole_segments_past_the_age_bound_go_when_a_sample_is_added() throws IOException {
        DiskOutbox outbox = open(dir);
        for (long seq = 1; seq <= 20; seq++) {
            outbox.add(seq, NOW_MS, payload(seq));
        }
        clock.set(NOW_MS + Duration.ofDays(8).toMillis());

        outbox.add(21, clock.get(), payload(21));

        assertThat(outbox.droppedCount()).isEqualTo(10);
        assertThat(segmentFiles(dir)).hasSize(2);
    }

    @Test
    void a_batch_stops_at_the_count_or_the_byte_budget_but_always_holds_one_sample() throws IOException {
        DiskOutbox outbox = open(dir);
        addAll(outbox, 1, 25);

        assertThat(seqs(outbox.oldest(15, Integer.MAX_VALUE))).hasSize(15).startsWith(1L).endsWith(15L);
        assertThat(outbox.oldest(10, 2 * (PAYLOAD_BYTES + 1))).hasSize(2);
        assertThat(outbox.oldest(10, 1)).hasSize(1);
        assertThat(outbox.oldest(0, 1)).isEmpty();
    }

    @Test
    void a_sample_not_newer_than_the_newest_is_refused_also_after_a_restart() throws IOException {
        DiskOutbox outbox = open(dir);
        addAll(outbox, 1, 5);
        outbox.removeThrough(5);
        outbox.close();

        DiskOutbox reopened = open(dir);
        assertThatThrownBy(() -> reopened.add(5, NOW_MS, payload(5))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5");
        reopened.add(6, NOW_MS, payload(6));
        assertThat(reopened.size()).isEqualTo(1);
    }

    @Test
    void a_file_with_a_foreign_header_is_moved_aside_and_the_rest_is_kept() throws IOException {
        DiskOutbox outbox = open(dir);
        addAll(outbox, 1, 3);
        outbox.close();
        Path foreign = Files.write(dir.resolve(SegmentFormat.fileName(0)), "not a segment at all".getBytes(StandardCharsets.US_ASCII));

        try (LogCapture logs = LogCapture.of(DiskOutbox.class)) {
            DiskOutbox reopened = open(dir);

            assertThat(seqs(reopened.oldest(10, Integer.MAX_VALUE))).containsExactly(1L, 2L, 3L);
            assertThat(Files.exists(dir.resolve(foreign.getFileName() + ".unreadable"))).isTrue();
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN").contains(foreign.toString()).contains("moved it"));
        }
    }

    @Test
    void a_new_outbox_directory_is_readable_by_its_owner_only() throws IOException {
        Path outboxDir = dir.resolve("state").resolve("outbox");
        open(outboxDir);

        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(outboxDir))).isEqualTo("rwx------");
    }

    @Test
    void a_directory_that_cannot_be_created_fails_at_open_naming_it_and_what_to_do() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");

        assertThatThrownBy(() -> open(file.resolve("outbox"))).isInstanceOf(IOException.class)
                .hasMessageContaining(file.resolve("outbox").toString()).hasMessageContaining("--state-dir");
    }

    @Test
    void a_second_agent_on_the_same_directory_is_refused_until_the_first_closes() throws IOException {
        DiskOutbox first = open(dir);

        assertThatThrownBy(() -> open(dir)).isInstanceOf(IOException.class).hasMessageContaining("in use by another servmon agent");
        first.close();
        assertThat(open(dir).size()).isZero();
    }

    @Test
    void a_32_mib_backlog_drains_in_order_batch_by_batch_and_its_segments_are_deleted() throws IOException {
        DiskOutbox outbox = DiskOutbox.open(dir, 64L << 20, Duration.ofDays(7));
        opened.add(outbox);
        byte[] big = new byte[8 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        for (long seq = 1; seq <= 4000; seq++) {
            outbox.add(seq, System.currentTimeMillis(), big);
        }

        assertThat(outbox.size()).isEqualTo(4000);
        assertThat(outbox.totalBytes()).isGreaterThan(32_000_000L);
        assertThat(segmentFiles(dir)).hasSizeGreaterThanOrEqualTo(8);
        long sent = 0;
        while (outbox.size() > 0) {
            List<Outbox.Entry> batch = outbox.oldest(1000, 4 << 20);
            assertThat(batch.get(0).seq()).isEqualTo(sent + 1);
            sent += outbox.removeThrough(batch.get(batch.size() - 1).seq());
        }
        assertThat(sent).isEqualTo(4000);
        assertThat(segmentFiles(dir)).hasSize(1);
    }

    // ---- helpers

    private DiskOutbox open(Path where) throws IOException {
        return open(where, 1L << 20);
    }

    private DiskOutbox open(Path where, long maxBytes) throws IOException {
        return open(where, maxBytes, SEGMENT_BYTES);
    }

    private DiskOutbox open(Path where, long maxBytes, long segmentBytes) throws IOException {
        DiskOutbox outbox = DiskOutbox.open(where, maxBytes, Duration.ofDays(7), segmentBytes, clock::get);
        opened.add(outbox);
        return outbox;
    }

    private static void addAll(Outbox outbox, long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            outbox.add(seq, NOW_MS + seq * 1000, payload(seq));
        }
    }

    /** A JSON object of exactly {@link #PAYLOAD_BYTES} bytes naming its seq. */
    static byte[] payload(long seq) {
        String head = "{\"seq\":" + seq + ",\"pad\":\"";
        return (head + "x".repeat(PAYLOAD_BYTES - head.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<Long> seqs(List<Outbox.Entry> entries) {
        return entries.stream().map(Outbox.Entry::seq).toList();
    }

    /** Offset of the record with index {@code i} (0-based) in a segment of test records. */
    private static long recordOffset(int i) {
        return SegmentFormat.FILE_HEADER_BYTES + (long) i * RECORD_BYTES;
    }

    private static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SegmentFormat.SUFFIX)).sorted().toList();
        }
    }

    private static Path onlySegment(Path dir) throws IOException {
        List<Path> files = segmentFiles(dir);
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    private static void flipBytes(Path file, long offset, int count) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < count; i++) {
            bytes[(int) offset + i] ^= (byte) 0x5A;
        }
        Files.write(file, bytes);
    }

    private static void appendBytes(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, java.nio.file.StandardOpenOption.APPEND);
    }

    private Path copyOf(Path from) throws IOException {
        Path to = Files.createTempDirectory(dir.getParent(), "copy");
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.filter(p -> !p.getFileName().toString().equals(DiskOutbox.LOCK_FILE)).toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }
}
