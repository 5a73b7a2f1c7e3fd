package dev.servmon.app.user;

import dev.servmon.hub.auth.Users;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code servmon user passwd NAME}. */
@Command(name = "passwd", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Set a user's password (e.g. a locked-out admin's). Asked for twice at the terminal, or read from the first",
                "line of standard input with --password-stdin. Ends every session of the user; their API tokens keep working.",
                "Exit codes: 0 changed, 2 usage or refused (no such user, weak password, hub running)."})
final class UserPasswdCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The user's name.")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Mixin
    UserDb db;

    @Override
    public Integer call() {
        int ended = db.with("user passwd", true, open -> {
            var account = open.users().findByName(username).orElseThrow(() -> new IllegalArgumentException(
                    "servmon user passwd: there is no user '" + username + "'; 'servmon user list' shows who there is"));
            String password = PasswordInput.read("user passwd", account.username(), passwordStdin, System.in, System.console());
            open.users().update(account.id(), new Users.Change(null, null, null, password));
            int n = open.sessions().deleteForUser(account.id(), null);
            open.audit().record(null, "cli", null, "cli user passwd", "user " + account.id() + " " + account.username(), null, 200);
            return n;
        });
        System.out.println("user passwd: password of " + username + " changed" + (ended > 0 ? "; " + ended + " session(s) ended" : ""));
        return 0;
    }
}
