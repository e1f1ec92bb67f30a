package dev.tuner.run;

import dev.tuner.verify.Samples;
import dev.tuner.verify.VerificationResult;
import java.util.List;

/**
 * What measuring found on one host: every benchmark metric's verdict, the tasks rolled back
 * because a benchmark they are verified by regressed, and the regressions that were kept.
 */
public record VerifyOutcome(
        List<VerificationResult> results,
        List<Samples> before,
        List<Samples> after,
        List<String> rolledBackTasks,
        List<String> keptRegressions,
        List<String> notes) {

    public static final VerifyOutcome NONE = new VerifyOutcome(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public boolean regressionStays() {
        return !keptRegressions.isEmpty();
    }
}
