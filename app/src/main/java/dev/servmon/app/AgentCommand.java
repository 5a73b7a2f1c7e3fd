package dev.servmon.app;

import dev.servmon.agent.AgentMain;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code servmon agent}: listed in {@code servmon --help}, but its command line belongs to
 * {@link AgentMain}, which {@link Main} hands it to before picocli parses anything. The agent
 * thus has one parser and one help text, whether run from servmon.jar or servmon-agent.jar.
 */
@Command(name = "agent",
        description = "Run the agent, which sends this machine's metrics to the hub, or install it as a service (servmon agent --help).")
final class AgentCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = List.of();

    @Override
    public Integer call() {
        return AgentMain.run(args.toArray(String[]::new), System.getenv(), System.out, System.err);
    }

    /** The agent's command line when {@code args} runs the agent ({@code agent ...} or {@code help agent}), else null. */
    static String[] agentArgs(String[] args) {
        if (args.length >= 1 && args[0].equals("agent")) {
            return Arrays.copyOfRange(args, 1, args.length);
        }
        if (args.length == 2 && args[0].equals("help") && args[1].equals("agent")) {
            return new String[] {"--help"};
        }
        return null;
    }
}
