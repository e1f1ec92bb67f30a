package dev.tuner.cli;

import dev.tuner.report.Interruption;
import dev.tuner.report.JsonReport;
import dev.tuner.report.MarkdownReport;
import dev.tuner.report.TextReport;
import dev.tuner.run.RunResult;
import dev.tuner.slice.SliceSet;

/** Prints a run in the format asked for. */
final class Rendering {
    private Rendering() {}

    /**
     * {@code headline}: which slice of the hosts the run covers, for people; empty for a run over
     * every host. {@code showSecrets}: --show-secrets, else what {@link dev.tuner.report.Masking} hides stays hidden.
     * {@code interrupted}: the signal that stopped the run (the run document says so), null when none did.
     */
    static String render(RunResult result, OutputOptions out, boolean diff, SliceSet slices, String headline, boolean showSecrets,
                         Interruption interrupted) {
        return render(result, out, diff, slices, headline, showSecrets, interrupted, null);
    }

    /** As above, for an apply whose end the journal could not record: {@code endNotJournaled} says why (null when it did). */
    static String render(RunResult result, OutputOptions out, boolean diff, SliceSet slices, String headline, boolean showSecrets,
                         Interruption interrupted, String endNotJournaled) {
        return switch (out.format) {
            case json -> JsonReport.render(result, slices, showSecrets, interrupted, endNotJournaled);
            case markdown -> MarkdownReport.render(result, headline, showSecrets);
            case text -> (headline.isEmpty() ? "" : out.style().bold(headline) + "\n\n")
                    + new TextReport(out.style(), diff, out.verbosity(), showSecrets).render(result);
        };
    }
}
