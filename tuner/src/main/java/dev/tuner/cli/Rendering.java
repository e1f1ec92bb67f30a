package dev.tuner.cli;

import dev.tuner.report.JsonReport;
import dev.tuner.report.MarkdownReport;
import dev.tuner.report.TextReport;
import dev.tuner.run.RunResult;

/** Prints a run in the format asked for. */
final class Rendering {
    private Rendering() {}

    static String render(RunResult result, OutputOptions out, boolean diff) {
        return switch (out.format) {
            case json -> JsonReport.render(result);
            case markdown -> MarkdownReport.render(result);
            case text -> new TextReport(out.style(), diff, out.verbosity()).render(result);
        };
    }
}
