package dev.tuner.cli;

import dev.tuner.report.Style;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Output shape shared by commands: --format, --no-color, -v. */
public class OutputOptions {
    public enum Format { text, json, markdown }

    @Option(names = "--format", paramLabel = "FORMAT", description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).", defaultValue = "text")
    Format format = Format.text;

    @Option(names = "--no-color", description = "No colours (also when NO_COLOR is set or output is not a terminal).")
    boolean noColor;

    @Mixin Verbosity verbose = new Verbosity();

    int verbosity() {
        return verbose.level();
    }

    Style style() {
        boolean tty = System.console() != null;
        String noColorEnv = System.getenv("NO_COLOR");
        return new Style(!noColor && tty && (noColorEnv == null || noColorEnv.isEmpty()) && format == Format.text);
    }
}
