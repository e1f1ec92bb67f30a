package dev.tuner.cli;

import dev.tuner.report.JsonReport;
import dev.tuner.report.MarkdownReport;
import dev.tuner.report.TextReport;
import dev.tuner.run.RunResult;

/** Prints a run in the format asked for. */
final class Rendering {
    private Rendering() {}

    /** {@code showSecrets}: --show-secrets, else what {@link dev.tuner.report.Masking} hides stays hidden. */
    static String render(RunResult result, OutputOptions out, boolean diff, boolean showSecrets) {
        return switch (out.format) {
            case json -> JsonReport.render(result, showSecrets);
            case markdown -> MarkdownReport.render(result, showSecrets);
            case text -> new TextReport(out.style(), diff, out.verbosity(), showSecrets).render(result);
        };
    }
}
