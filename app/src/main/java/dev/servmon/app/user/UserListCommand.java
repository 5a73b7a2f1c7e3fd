package dev.servmon.app.user;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code servmon user list}. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the hub's users: id, name, role, whether disabled, host tag scope, when added (UTC)."})
final class UserListCommand implements Callable<Integer> {
    @Mixin
    UserDb db;

    @Override
    public Integer call() {
        var users = db.with("user list", true, open -> open.users().list());
        System.out.printf(Locale.ROOT, "%-6s %-24s %-9s %-9s %-24s %s%n", "ID", "USERNAME", "ROLE", "STATE", "SCOPE", "ADDED");
        for (var u : users) {
            System.out.printf(Locale.ROOT, "%-6d %-24s %-9s %-9s %-24s %s%n", u.id(), u.username(), u.role(), u.disabled() ? "disabled" : "enabled",
                    u.scope().isEmpty() ? "all hosts" : String.join(",", u.scope()), Instant.ofEpochMilli(u.createdAtMs()).toString().substring(0, 19) + "Z");
        }
        return 0;
    }
}
