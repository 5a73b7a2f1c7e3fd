package dev.servmon.agent.control;

import dev.servmon.agent.collect.Command;
import dev.servmon.protocol.MagicPacket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The power commands an agent runs: {@code power.shutdown}, {@code power.reboot},
 * {@code power.suspend} through a command hook, and {@code wol.relay}, which sends a
 * Wake-on-LAN magic packet from this machine's LAN for a sleeping neighbour.
 *
 * <p>The hook is the operating system's own command by default ({@code systemctl poweroff} and
 * so on); {@code --power-hook /path/script} replaces it with a script called with the action
 * ({@code shutdown}, {@code reboot}, {@code suspend}) as its only argument — to go through
 * sudo, to drain a service first, or, in tests, to record the call instead.
 */
public final class PowerHandlers {
    /** A hook that has not finished after this long is stopped and the command fails. */
    static final Duration HOOK_TIMEOUT = Duration.ofSeconds(60);

    private PowerHandlers() {}

    /** Registers the power handlers; {@code hook} is null for the operating system's commands. */
    public static void register(CommandHandlers handlers, Path hook) {
        for (String action : List.of("shutdown", "reboot", "suspend")) {
            handlers.register(new CommandHandler() {
                @Override
                public String type() {
                    return "power." + action;
                }

                @Override
                public CommandResult handle(Map<String, Object> args) throws Exception {
                    List<String> command = hook != null ? List.of(hook.toString(), action) : osCommand(action, System.getProperty("os.name", ""));
                    String out = Command.run(command, HOOK_TIMEOUT).strip();
                    String said = out.isEmpty() ? "" : ": " + (out.length() > 200 ? out.substring(0, 200) + "…" : out);
                    return CommandResult.ok(action + " started (" + String.join(" ", command) + ")" + said);
                }
            });
        }
        handlers.register(new CommandHandler() {
            @Override
            public String type() {
                return "wol.relay";
            }

            @Override
            public CommandResult handle(Map<String, Object> args) throws IOException {
                byte[] mac = MagicPacket.parseMac(args.get("mac") instanceof String s ? s : null);
                String broadcast = args.get("broadcast") instanceof String b ? b : MagicPacket.DEFAULT_BROADCAST;
                int port = args.get("port") instanceof Number n ? n.intValue() : MagicPacket.DEFAULT_PORT;
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
                }
                MagicPacket.send(mac, broadcast, port);
                return CommandResult.ok("magic packet for " + MagicPacket.format(mac) + " sent to " + broadcast + ":" + port);
            }
        });
    }

    /** The operating system's command for {@code action} on {@code osName}. */
    static List<String> osCommand(String action, String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return switch (action) {
                case "shutdown" -> List.of("shutdown", "/s", "/t", "0");
                case "reboot" -> List.of("shutdown", "/r", "/t", "0");
                default -> List.of("rundll32.exe", "powrprof.dll,SetSuspendState", "0,1,0");
            };
        }
        if (os.startsWith("mac")) {
            return switch (action) {
                case "shutdown" -> List.of("shutdown", "-h", "now");
                case "reboot" -> List.of("shutdown", "-r", "now");
                default -> List.of("pmset", "sleepnow");
            };
        }
        // systemd; --no-block for suspend: it would otherwise return only after the machine resumes.
        return switch (action) {
            case "shutdown" -> List.of("systemctl", "poweroff");
            case "reboot" -> List.of("systemctl", "reboot");
            default -> List.of("systemctl", "--no-block", "suspend");
        };
    }
}
