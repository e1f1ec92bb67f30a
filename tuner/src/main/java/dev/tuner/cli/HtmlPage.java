package dev.tuner.cli;

import dev.tuner.run.HostResult;
import dev.tuner.run.RunResult;
import dev.tuner.verify.VerificationResult;
import dev.tuner.verify.report.HtmlReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** --report FILE.html: every host's before/after measurements on one self-contained page. */
final class HtmlPage {
    private HtmlPage() {}

    static void write(Path file, RunResult result) {
        List<VerificationResult> all = new ArrayList<>();
        for (RunResult.PlayResult p : result.plays()) for (HostResult h : p.results()) all.addAll(h.verification().results());
        String title = "tuner " + result.mode().name().toLowerCase() + " " + result.playbook()
                + (result.runId() != null ? " (run " + result.runId() + ")" : "");
        List<String> notices = result.stopped() == null ? List.of()
                : List.of(result.stopped(), "Not started, left as they were: " + String.join(", ", result.notStarted()));
        DriftCommand.writeAtomically(file, HtmlReport.render(title, all, notices));
    }
}
