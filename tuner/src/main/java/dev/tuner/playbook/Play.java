package dev.tuner.playbook;

import dev.tuner.diag.Location;
import dev.tuner.settings.registry.SettingKinds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * What plan would refuse in a host's variables, for the kinds of this play's tasks (see
     * {@link dev.tuner.settings.SettingKind#hostVarProblems}): inventory variables first, then the
     * play's vars and vars_files over them, as plan merges them.
     */
    public List<String> hostVarProblems(Map<String, Object> inventoryVars) {
        Map<String, Object> merged = new LinkedHashMap<>(inventoryVars);
        merged.putAll(vars);
        merged.putAll(varsFromFiles);
        Set<String> out = new LinkedHashSet<>();
        for (String kind : tasks.stream().map(Task::kind).distinct().toList()) {
            SettingKinds.get(kind).ifPresent(k -> out.addAll(k.hostVarProblems(merged)));
        }
        return List.copyOf(out);
    }

    /**
     * The problems {@link #hostVarProblems} finds in the inventory's hosts that the play's own
     * variables do not already have, each said once with the hosts it concerns.
     */
    public List<String> inventoryVarProblems(Map<String, Map<String, Object>> varsByHost) {
        Set<String> own = new LinkedHashSet<>(hostVarProblems(Map.of()));
        Map<String, List<String>> hostsByProblem = new LinkedHashMap<>();
        varsByHost.forEach((host, vars) -> {
            for (String p : hostVarProblems(vars)) if (!own.contains(p)) hostsByProblem.computeIfAbsent(p, x -> new ArrayList<>()).add(host);
        });
        List<String> out = new ArrayList<>();
        hostsByProblem.forEach((p, hosts) -> out.add("host " + hosts.get(0) + (hosts.size() > 1 ? " (and " + (hosts.size() - 1) + " more)" : "")
                + " of play '" + label() + "': " + p));
        return out;
    }
}
