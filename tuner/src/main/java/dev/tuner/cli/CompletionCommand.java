package dev.tuner.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "completion",
        mixinStandardHelpOptions = true,
        description = "Print a bash/zsh completion script.",
        footer = {"", "Examples:",
                "  source <(tuner completion)",
                "  tuner completion > /etc/bash_completion.d/tuner"})
final class CompletionCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String script = CompletionScript.bash(spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
