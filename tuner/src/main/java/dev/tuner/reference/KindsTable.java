package dev.tuner.reference;

import dev.tuner.settings.SettingKind;
import dev.tuner.settings.TaskOption;
import dev.tuner.settings.registry.KindOptions;
import dev.tuner.settings.registry.SettingKinds;
import java.util.List;

/**
 * docs/setting-kinds.md: the table of setting kinds, written from what each kind says of itself
 * ({@link SettingKind#summary()}, {@link SettingKind#taskOptions()},
 * {@link SettingKind#defaultBenchmarksDoc()}), so the page cannot fall behind the registry.
 */
public final class KindsTable {
    private KindsTable() {}

    /** The page for the registered kinds. */
    public static String markdown() {
        return markdown(SettingKinds.names().stream().map(SettingKinds::require).toList());
    }

    static String markdown(List<SettingKind> kinds) {
        KindOptions options = KindOptions.of(kinds);
        StringBuilder md = new StringBuilder();
        md.append("# Setting kinds\n\n");
        md.append("<!-- Written from the setting kinds themselves by dev.tuner.reference.ReferenceFiles: edit the kinds, not this page.\n");
        md.append("     Regenerate from the repository root with: ").append(ReferenceFiles.REGENERATE).append(" -->\n\n");
        md.append("Each task of a playbook names exactly one setting kind: the key that holds the task's value (see\n");
        md.append("[Playbooks](../README.md#playbooks)). The form of each kind's value is in the JSON Schema,\n");
        md.append("[schema/playbook.schema.json](../schema/playbook.schema.json), which `tuner schema` also prints.\n\n");

        md.append("| kind | what it sets | task options | default benchmarks |\n");
        md.append("|---|---|---|---|\n");
        for (SettingKind kind : kinds) {
            List<String> own = options.takenBy(kind.name()).stream().map(o -> "`" + o.name() + "`").toList();
            md.append("| `").append(kind.name()).append("` | ").append(cell(kind.summary())).append(" | ")
                    .append(own.isEmpty() ? "none" : String.join(", ", own)).append(" | ")
                    .append(cell(kind.defaultBenchmarksDoc())).append(" |\n");
        }
        md.append("\nDefault benchmarks are what `apply` measures a change with when neither its task nor its play\n");
        md.append("says `verify:` (the benchmark definitions are in `verify/`).\n");

        if (!options.all().isEmpty()) {
            md.append("\n## Task options\n\n");
            md.append("Keys a kind adds to its tasks, beside its own. A play may give one too, as the default for its\n");
            md.append("tasks of the kinds that take it; a task's own value wins. Any other kind's task refuses it.\n\n");
            md.append("| option | values | kinds | what it does |\n");
            md.append("|---|---|---|---|\n");
            for (KindOptions.Declared o : options.all()) {
                md.append("| `").append(o.name()).append("` | ").append(values(o.option())).append(" | ")
                        .append(String.join(", ", o.kinds().stream().map(k -> "`" + k + "`").toList())).append(" | ")
                        .append(cell(o.option().description())).append(" |\n");
            }
        }

        md.append("\n## Adding a kind\n\n");
        md.append("A kind is a class implementing `dev.tuner.settings.SettingKind` in a package of its own under\n");
        md.append("`tuner/src/main/java/dev/tuner/settings/`, with the JSON Schema of its task value as `schema.json`\n");
        md.append("in the same package under `tuner/src/main/resources/` (it may refer to the shared definitions of\n");
        md.append("the base schema, such as `#/definitions/templated`, and names definitions of its own after the\n");
        md.append("kind), and one line in `settings/registry/SettingKinds.java`. The parser, the schema and this\n");
        md.append("page follow from the registry; the tests fail while the committed schema or this page is out\n");
        md.append("of date.\n");
        return md.toString();
    }

    private static String values(TaskOption o) {
        List<String> words = o.isBoolean() ? List.of("true", "false") : o.choices();
        return String.join(", ", words.stream().map(w -> "`" + w + "`").toList());
    }

    /** Text inside a table cell: one line, no column breaks, and a '*' (vm.dirty_*) never taken for emphasis. */
    private static String cell(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ").replace("|", "\\|").replace("*", "\\*");
    }
}
