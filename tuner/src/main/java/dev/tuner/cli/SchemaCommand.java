package dev.tuner.cli;

import dev.tuner.reference.PlaybookSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "schema",
        mixinStandardHelpOptions = true,
        description = {"Print the JSON Schema of playbooks (draft-07), for editors.",
                "It has every setting kind of this tuner and its task options."},
        footer = {"", "Examples:",
                "  tuner schema > playbook.schema.json",
                "", "VS Code (YAML extension), in the settings:",
                "  \"yaml.schemas\": {\"./playbook.schema.json\": [\"playbooks/*.yml\"]}"})
final class SchemaCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(PlaybookSchema.text());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
