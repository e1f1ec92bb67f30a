package dev.tuner.playbook;

import dev.tuner.diag.Location;
import java.util.List;
import java.util.Map;

/**
 * One play: which hosts, which variables, which tasks and handlers. {@code options} holds the
 * play-wide keys the run reads (rollback_on_regression, verify, max_fail_percentage,
 * any_errors_fatal) and the kinds' task options given as defaults.
 */
public record Play(
        int index,
        String name,
        String hosts,
        Map<String, Object> vars,
        List<String> varsFiles,
        Map<String, Object> varsFromFiles,
        List<Task> tasks,
        List<Handler> handlers,
        List<String> tags,
        List<String> serial,
        boolean gatherFacts,
        Map<String, Object> options,
        Location at) {

    /** Play key: stop the rollout when more than this percentage of a batch's hosts failed. */
    public static final String MAX_FAIL_PERCENTAGE = "max_fail_percentage";
    /** Play key: stop the rollout after the batch in which any host failed or could not be reached. */
    public static final String ANY_ERRORS_FATAL = "any_errors_fatal";

    /** The play's max_fail_percentage (0 to 100), or null when it has none. */
    public Double maxFailPercentage() {
        return options.get(MAX_FAIL_PERCENTAGE) instanceof Double d ? d : null;
    }

    public boolean anyErrorsFatal() {
        return Boolean.TRUE.equals(options.get(ANY_ERRORS_FATAL));
    }

    public String label() {
        return name != null ? name : "play #" + (index + 1) + " (" + hosts + ")";
    }
}
