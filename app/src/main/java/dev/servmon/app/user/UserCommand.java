package dev.servmon.app.user;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code servmon user}: manage the hub's users from the shell, with the hub stopped. */
@Command(name = "user", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Manage the hub's users on its database while the hub is stopped (a running hub's users are managed",
                "on the dashboard's Users page or with the API: GET/POST /api/v1/users, PATCH /api/v1/users/{id}).",
                "Refuses while a hub runs on the SQLite --data directory. On PostgreSQL (--db-url) it works beside running hubs.",
                "Changes are written to the audit log as done by 'cli'."},
        subcommands = {UserAddCommand.class, UserPasswdCommand.class, UserListCommand.class, CommandLine.HelpCommand.class})
public final class UserCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "servmon user: name a command: add, passwd or list (see --help)");
    }
}
