package dev.servmon.hub.alerts;

import dev.servmon.hub.checks.Check;
import dev.servmon.hub.checks.CheckListener;
import dev.servmon.hub.checks.CheckResult;
import dev.servmon.hub.programs.ProgramEventListener;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns health-check results and program events into alert signals, for the built-in rules
 * "check failing", "certificate expiring", "program exited" and "program gave up".
 *
 * <p>The subject is the check's or program's name (signals are kept per kind, so a check and a
 * program of the same name never meet). A program's "exited" signal is cleared when it
 * starts again (the supervisor restarted it or someone started it); "gave up" is cleared only by a
 * start, since the supervisor will not try again by itself.
 */
public final class SignalBridge implements CheckListener, ProgramEventListener {
    /** A certificate is "expiring" below this many days when the check sets no threshold of its own. */
    public static final int DEFAULT_CERT_WARN_DAYS = 14;

    private final Signals signals;

    public SignalBridge(Signals signals) {
        this.signals = signals;
    }

    @Override
    public void onResult(Check check, CheckResult result, CheckResult previous) {
        String subject = check.name();
        if (result.up()) {
            signals.clear(SignalKind.CHECK_FAILING, check.hostId(), subject);
        } else {
            Map<String, Object> values = new HashMap<>();
            values.put("check", check.name());
            values.put("type", check.type().name().toLowerCase(java.util.Locale.ROOT));
            if (result.responseMs() != null) {
                values.put("responseMs", result.responseMs());
            }
            signals.raise(SignalKind.CHECK_FAILING, check.hostId(), subject, result.message(), values);
        }
        Integer days = result.certDaysLeft();
        if (days == null) {
            return;
        }
        Integer own = check.settings() == null ? null : check.settings().certMinDays();
        int warnBelow = own != null ? own : DEFAULT_CERT_WARN_DAYS;
        if (days < warnBelow) {
            signals.raise(SignalKind.CERT_EXPIRING, check.hostId(), subject,
                    "certificate of " + check.name() + " expires in " + days + (days == 1 ? " day" : " days"), Map.of("daysLeft", days));
        } else {
            signals.clear(SignalKind.CERT_EXPIRING, check.hostId(), subject);
        }
    }

    @Override
    public void onEvent(long hostId, String program, String kind, Integer exitCode, long atMs) {
        String subject = program;
        switch (kind) {
            case "exited" -> signals.raise(SignalKind.PROGRAM_EXITED, hostId, subject,
                    program + " exited unexpectedly" + (exitCode == null ? "" : " with code " + exitCode),
                    exitCode == null ? Map.of() : Map.of("exitCode", exitCode));
            case "gave_up" -> signals.raise(SignalKind.PROGRAM_GAVE_UP, hostId, subject,
                    "the agent gave up restarting " + program + (exitCode == null ? "" : " (last exit code " + exitCode + ")"),
                    exitCode == null ? Map.of() : Map.of("exitCode", exitCode));
            case "started", "restarted" -> {
                signals.clear(SignalKind.PROGRAM_EXITED, hostId, subject);
                signals.clear(SignalKind.PROGRAM_GAVE_UP, hostId, subject);
            }
            case "stopped" -> signals.clear(SignalKind.PROGRAM_EXITED, hostId, subject);
            default -> { }
        }
    }
}
