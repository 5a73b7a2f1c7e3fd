package dev.servmon.agent.collect;

import dev.servmon.protocol.Sample;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parser of the glibc utmp file ({@code /run/utmp}), which lists who is logged in.
 *
 * <p>Layout of one record ({@code struct utmp}) on Linux x86_64 and aarch64, 384 bytes:
 * {@code short ut_type} at 0 (then 2 bytes padding), {@code pid_t ut_pid} at 4,
 * {@code char ut_line[32]} at 8, {@code char ut_id[4]} at 40, {@code char ut_user[32]} at 44,
 * {@code char ut_host[256]} at 76, exit status (4) at 332, session (4) at 336, time (2 × int32)
 * at 340, address (16) at 348, reserved (20) at 364. Integers are in the machine's byte order.
 */
public final class Utmp {
    /** Size of one record. */
    public static final int RECORD_BYTES = 384;
    /** {@code ut_type} of a logged-in user's session. */
    public static final short USER_PROCESS = 7;
    static final int LINE_OFFSET = 8;
    static final int LINE_BYTES = 32;
    static final int USER_OFFSET = 44;
    static final int USER_BYTES = 32;
    static final int HOST_OFFSET = 76;
    static final int HOST_BYTES = 256;
    static final int TIME_OFFSET = 340;

    private Utmp() {}

    /**
     * Counts the logged-in user sessions: records of type {@link #USER_PROCESS} with a user
     * name. A trailing partial record (file being written) is ignored.
     *
     * @param utmp the file's bytes
     * @param order byte order of the machine that wrote it ({@link ByteOrder#nativeOrder()} for this one)
     */
    public static int countUserSessions(byte[] utmp, ByteOrder order) {
        ByteBuffer buf = ByteBuffer.wrap(utmp).order(order);
        int sessions = 0;
        for (int at = 0; at + RECORD_BYTES <= utmp.length; at += RECORD_BYTES) {
            if (isUserSession(buf, at)) {
                sessions++;
            }
        }
        return sessions;
    }

    /**
     * The logged-in user sessions (the records {@link #countUserSessions} counts), in file
     * order: user, terminal, remote host ({@code null} for a local login) and login time
     * ({@code ut_tv.tv_sec}, read as unsigned so it holds past 2038).
     *
     * @param utmp the file's bytes
     * @param order byte order of the machine that wrote it
     */
    public static List<Sample.UserSession> sessions(byte[] utmp, ByteOrder order) {
        ByteBuffer buf = ByteBuffer.wrap(utmp).order(order);
        List<Sample.UserSession> sessions = new ArrayList<>();
        for (int at = 0; at + RECORD_BYTES <= utmp.length; at += RECORD_BYTES) {
            if (!isUserSession(buf, at)) {
                continue;
            }
            String host = text(utmp, at + HOST_OFFSET, HOST_BYTES);
            long seconds = Integer.toUnsignedLong(buf.getInt(at + TIME_OFFSET));
            sessions.add(new Sample.UserSession(text(utmp, at + USER_OFFSET, USER_BYTES),
                    text(utmp, at + LINE_OFFSET, LINE_BYTES), host.isEmpty() ? null : host,
                    seconds == 0 ? null : seconds * 1000));
        }
        return sessions;
    }

    private static boolean isUserSession(ByteBuffer buf, int at) {
        return buf.getShort(at) == USER_PROCESS && buf.get(at + USER_OFFSET) != 0;
    }

    /** A fixed-size C string field: up to the first NUL, or the whole field when it is full. */
    private static String text(byte[] b, int from, int size) {
        int end = from;
        while (end < from + size && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }
}
