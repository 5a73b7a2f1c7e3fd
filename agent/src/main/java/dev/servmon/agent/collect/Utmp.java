package dev.servmon.agent.collect;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
    static final int USER_OFFSET = 44;

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
            if (buf.getShort(at) == USER_PROCESS && utmp[at + USER_OFFSET] != 0) {
                sessions++;
            }
        }
        return sessions;
    }
}
