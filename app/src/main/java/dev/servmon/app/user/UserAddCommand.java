package dev.servmon.app.user;

import dev.servmon.hub.auth.Role;
import dev.servmon.hub.hosts.Tags;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code servmon user add NAME --role ROLE}. */
@Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add a user. The password is asked for twice at the terminal, or read from the first line of standard",
                "input with --password-stdin (never a flag: flags show in ps). It must be at least 10 characters and not a common",
                "password. On a data directory without a database yet, this creates it (and the hub then creates no admin of its own).",
                "Exit codes: 0 added, 2 usage or refused (name taken, weak password, hub running)."})
final class UserAddCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Username: letters, digits and . _ @ -, at most 64.")
    String username;

    @Option(names = "--role", paramLabel = "ROLE", required = true,
            description = "viewer (reads everything), operator (also acts on hosts) or admin (also users, tokens of others, audit log).")
    String role;

    @Option(names = "--scope", paramLabel = "TAG", split = ",",
            description = "Limit the user to hosts carrying one of these tags, comma-separated (default: every host).")
    List<String> scope;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Mixin
    UserDb db;

    @Override
    public Integer call() {
        Role parsed;
        try {
            parsed = Role.of(role);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("servmon user add: --role " + e.getMessage().replace("role ", ""), e);
        }
        var added = db.with("user add", false, open -> {
            var tags = Tags.normalize(scope, "--scope");
            String password = PasswordInput.read("user add", username, passwordStdin, System.in, System.console());
            var account = open.users().add(username, password, parsed, tags);
            open.audit().record(null, "cli", null, "cli user add", "user " + account.id() + " " + account.username() + " role=" + account.role(),
                    null, 201);
            return account;
        });
        System.out.println("user add: " + added.username() + " (id " + added.id() + ", " + added.role()
                + (added.scope().isEmpty() ? "" : ", hosts tagged " + String.join(", ", added.scope())) + ") added");
        return 0;
    }
}
