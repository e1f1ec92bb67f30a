package dev.tuner.cli;

import dev.tuner.diag.InputException;
import dev.tuner.diag.Location;
import dev.tuner.slice.Slice;
import dev.tuner.slice.SliceChoice;
import dev.tuner.slice.SliceSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** --slice and --slices, the same on every command that works on hosts (see {@link SliceChoice}). */
public class SliceOptions {
    @Option(names = "--slice", paramLabel = "K/N",
            description = {"Work on slice K of N of the selected hosts (K from 1), split by hashing host names: adding a host moves no other.",
                    "Default: from JOB_COMPLETION_INDEX (Kubernetes Indexed Job, with --slices), CI_NODE_INDEX/CI_NODE_TOTAL (GitLab),"
                            + " CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL, BUILDKITE_PARALLEL_JOB/_COUNT; --slice 1/1 runs every host."})
    String slice;

    @Option(names = "--slices", paramLabel = "N",
            description = "The number of slices when the index comes from JOB_COMPLETION_INDEX (the Job's completions; env TUNER_SLICES).")
    Integer slices;

    private SliceChoice chosen;

    /** The slice this run takes; bad options or variables are input errors, raised before any host is contacted. */
    SliceChoice choice() {
        if (chosen == null) chosen = choose(System.getenv());
        return chosen;
    }

    SliceChoice choose(Map<String, String> env) {
        try {
            return SliceChoice.choose(slice, slices, env);
        } catch (IllegalArgumentException e) {
            throw new InputException(Location.of(slice != null ? "--slice" : slices != null ? "--slices" : "environment"), e.getMessage());
        }
    }

    /** The line outputs start with in a sliced run: which slice, from where, and how many of the selected hosts it has. */
    String headline(int selectedHosts, int sliceHosts) {
        SliceChoice c = choice();
        if (c.slice().isWhole()) return "";
        return SliceSet.of(c.slice()).describe() + " (" + c.source() + "): " + sliceHosts + " of " + selectedHosts + " hosts";
    }

    Slice current() {
        return choice().slice();
    }

    /** The hosts of this run's slice, in their order. */
    <T> List<T> select(List<T> hosts, Function<T, String> name) {
        return current().select(hosts, name);
    }
}
