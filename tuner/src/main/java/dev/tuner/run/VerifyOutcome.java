package dev.tuner.run;

import dev.tuner.verify.Design;
import dev.tuner.verify.Samples;
import dev.tuner.verify.VerificationResult;
import java.util.List;

/**
 * What measuring found on one host: every benchmark metric's verdict, the tasks rolled back
 * because a benchmark they are verified by regressed, and the regressions that were kept; and how
 * the host was measured: the design, why that one, the seed of the rounds' orders (interleaved
 * only) and the control hosts measured beside it.
 */
public record VerifyOutcome(
        List<VerificationResult> results,
        List<Samples> before,
        List<Samples> after,
        List<String> rolledBackTasks,
        List<String> keptRegressions,
        List<String> notes,
        Design design,
        String designNote,
        Long seed,
        List<String> controls) {

    public static final VerifyOutcome NONE = new VerifyOutcome(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public VerifyOutcome {
        controls = List.copyOf(controls);
    }

    /** A before-after outcome (or none: nothing measured). */
    public VerifyOutcome(List<VerificationResult> results, List<Samples> before, List<Samples> after, List<String> rolledBackTasks,
                         List<String> keptRegressions, List<String> notes) {
        this(results, before, after, rolledBackTasks, keptRegressions, notes, null, null, null, List.of());
    }

    public boolean regressionStays() {
        return !keptRegressions.isEmpty();
    }

    /** A benchmark was verified to be worse after the change, whether or not it was rolled back. */
    public boolean regressed() {
        return results.stream().anyMatch(r -> r.verdict() == dev.tuner.verify.stats.Verdict.REGRESSED);
    }
}
