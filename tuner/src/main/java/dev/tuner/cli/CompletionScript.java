package dev.tuner.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * picocli's bash completion script, corrected where picocli judges an option by its Java type:
 * a repeatable flag ({@code -v}, a boolean[]) is a flag, not an option taking a value; options
 * whose value names a file or directory ({@code -i INVENTORY}, {@code --journal DIR},
 * {@code --output FILE}) complete file names even where they are kept as strings; and counting
 * positional arguments compares whole option names ({@code -v} is not a part of
 * {@code --verify-dir}).
 */
final class CompletionScript {
    /** Parameter labels of options whose value is a path on this machine. */
    private static final Set<String> PATH_LABELS = Set.of("INVENTORY", "DIR", "FILE", "FILE.html");

    private static final String FILES = """
                  local IFS=$'\\n'
                  type compopt &>/dev/null && compopt -o filenames
                  COMPREPLY=( $( compgen -f -- "${curr_word}" ) ) # files
                  return $?
                  ;;
            """;

    private CompletionScript() {}

    static String bash(CommandLine root) {
        String script = AutoComplete.bash(root.getCommandName(), root);
        Set<String> flags = new LinkedHashSet<>();
        Set<String> pathOptions = new LinkedHashSet<>();
        collect(root, flags, pathOptions);
        for (String arm : pathOptions) script = script.replace("    " + arm + ")\n      return\n      ;;\n", "    " + arm + ")\n" + FILES);
        return wholeWordOptionMatch(moveToFlags(script, flags));
    }

    /** picocli's currentPositionalIndex matches the previous word as a regex anywhere in the option list. */
    private static String wholeWordOptionMatch(String script) {
        return script
                .replace("if [[ \"${optionsWithArgs}\" =~ ${previousWord} ]]; then",
                        "if [[ \" ${optionsWithArgs} \" == *\" '${previousWord}' \"* ]]; then")
                .replace("elif [[ \"${booleanOptions}\" =~ ${previousWord} ]]; then",
                        "elif [[ \" ${booleanOptions} \" == *\" '${previousWord}' \"* ]]; then");
    }

    private static void collect(CommandLine cl, Set<String> flags, Set<String> pathOptions) {
        for (OptionSpec o : cl.getCommandSpec().options()) {
            if (o.type() == boolean[].class) flags.addAll(List.of(o.names()));
            else if (PATH_LABELS.contains(o.paramLabel())) pathOptions.add(quotedArm(o));
        }
        for (CommandLine sub : cl.getSubcommands().values()) collect(sub, flags, pathOptions);
    }

    private static String quotedArm(OptionSpec o) {
        List<String> quoted = new ArrayList<>();
        for (String n : o.names()) quoted.add("'" + n + "'");
        return String.join("|", quoted);
    }

    /** Each function lists flag_opts, then arg_opts: a name moves from the second line to the first, and its case arm goes. */
    private static String moveToFlags(String script, Set<String> flags) {
        List<String> lines = new ArrayList<>(script.lines().toList());
        int flagLine = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("  local flag_opts=\"")) {
                flagLine = i;
            } else if (line.startsWith("  local arg_opts=\"") && flagLine >= 0) {
                for (String f : flags) {
                    String quoted = "'" + f + "'";
                    if (!line.contains(quoted)) continue;
                    line = line.replace(" " + quoted, "").replace(quoted + " ", "").replace(quoted, "");
                    String fl = lines.get(flagLine);
                    lines.set(flagLine, fl.substring(0, fl.length() - 1) + (fl.endsWith("\"\"") ? "" : " ") + quoted + "\"");
                }
                lines.set(i, line);
                flagLine = -1;
            }
        }
        String out = String.join("\n", lines) + "\n";
        for (String f : flags) out = out.replace("    '" + f + "')\n      return\n      ;;\n", "");
        return out;
    }
}
