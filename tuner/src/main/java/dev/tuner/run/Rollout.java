package dev.tuner.run;

import dev.tuner.playbook.Play;
import dev.tuner.verify.VerificationResult;
import dev.tuner.verify.stats.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When an apply stops rolling out: after each batch ({@code serial}), the batch's results decide
 * whether the next batch may start. The run stops — no later batch of the play and no later play
 * is started; their hosts are left as they were and reported as not started — after a batch in
 * which
 * <ul>
 *   <li>a host's change was verified to make a benchmark worse (rolled back or kept: the next
 *       hosts would get the same change), the run exits 3;</li>
 *   <li>more than {@code max_fail_percentage} of the batch's hosts failed (unreachable hosts do not
 *       count, as in Ansible), or</li>
 *   <li>{@code any_errors_fatal} is set and a host failed or could not be reached; the run exits 1.</li>
 * </ul>
 * Ansible stops a play at the same points, except that a tuner host's play is one step (plan,
 * change, verify): the other hosts of the batch finish theirs rather than being marked failed.
 * A plan or a drift check changes nothing, so it reads every host whatever they find.
 */
final class Rollout {
    private Rollout() {}

    /** Why the run stops after this batch (1-based {@code batch} of {@code batches}), or null to go on. */
    static String stopAfter(Play play, Mode mode, int batch, int batches, List<HostResult> results) {
        if (mode != Mode.APPLY) return null;
        List<String> why = new ArrayList<>();
        List<String> failed = hosts(results, HostResult.Status.FAILED);
        List<String> unreachable = hosts(results, HostResult.Status.UNREACHABLE);
        if (play.anyErrorsFatal() && !(failed.isEmpty() && unreachable.isEmpty())) {
            List<String> down = new ArrayList<>(failed);
            down.addAll(unreachable);
            why.add(String.join(", ", down) + (down.size() == 1 ? " has" : " have") + " failed or could not be reached, and the play"
                    + " sets any_errors_fatal");
        }
        Double max = play.maxFailPercentage();
        if (max != null && 100.0 * failed.size() / results.size() > max) {
            why.add(String.format(Locale.ROOT, "%d of the batch's %d hosts failed (%s), more than max_fail_percentage %s%%",
                    failed.size(), results.size(), String.join(", ", failed), number(max)));
        }
        List<String> regressed = new ArrayList<>();
        for (HostResult h : results) {
            if (!h.verification().regressed()) continue;
            Set<String> benchmarks = new LinkedHashSet<>();
            for (VerificationResult r : h.verification().results())
                if (r.verdict() == Verdict.REGRESSED) benchmarks.add(r.benchmark() + " " + r.metric());
            regressed.add(h.host() + (benchmarks.isEmpty() ? "" : " (" + String.join(", ", benchmarks) + ")"));
        }
        if (!regressed.isEmpty()) {
            why.add("a change was verified to make a benchmark worse on " + String.join(", ", regressed)
                    + ", so the hosts after it were not given the same change");
        }
        if (why.isEmpty()) return null;
        return "stopped after batch " + batch + " of " + batches + " of play '" + play.label() + "': " + String.join("; ", why);
    }

    private static List<String> hosts(List<HostResult> results, HostResult.Status status) {
        return results.stream().filter(h -> h.status() == status).map(HostResult::host).toList();
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
