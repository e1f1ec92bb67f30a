package dev.tuner.slice;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which slice a run takes: the one given on the command line, else the one the scheduler that
 * started this process says, read from its environment. Schedulers and their conventions:
 *
 * <ul>
 *   <li>Kubernetes Indexed Jobs: {@code JOB_COMPLETION_INDEX}, from 0; the Job's completion count
 *       is not in the pod's environment, so it comes from {@code --slices N} or {@code TUNER_SLICES}.</li>
 *   <li>GitLab CI {@code parallel: N}: {@code CI_NODE_INDEX} from 1, {@code CI_NODE_TOTAL}.</li>
 *   <li>CircleCI {@code parallelism}: {@code CIRCLE_NODE_INDEX} from 0, {@code CIRCLE_NODE_TOTAL}.</li>
 *   <li>Buildkite {@code parallelism}: {@code BUILDKITE_PARALLEL_JOB} from 0, {@code BUILDKITE_PARALLEL_JOB_COUNT}.</li>
 * </ul>
 *
 * @param slice  the slice to run ({@link Slice#WHOLE} when nothing asks for one)
 * @param source where it came from, for the run's output: {@code --slice}, {@code JOB_COMPLETION_INDEX and --slices}, ...
 */
public record SliceChoice(Slice slice, String source) {
    public static final String SLICES_VAR = "TUNER_SLICES";
    public static final String K8S_INDEX = "JOB_COMPLETION_INDEX";

    /** A scheduler's pair of variables: its index (counted from {@code base}) and its count. */
    private record Convention(String name, String indexVar, String countVar, int base) {}

    private static final List<Convention> CI = List.of(
            new Convention("GitLab CI", "CI_NODE_INDEX", "CI_NODE_TOTAL", 1),
            new Convention("CircleCI", "CIRCLE_NODE_INDEX", "CIRCLE_NODE_TOTAL", 0),
            new Convention("Buildkite", "BUILDKITE_PARALLEL_JOB", "BUILDKITE_PARALLEL_JOB_COUNT", 0));

    public static final SliceChoice WHOLE = new SliceChoice(Slice.WHOLE, "no slicing");

    /**
     * @param option  {@code --slice K/N} as given, or null
     * @param slices  {@code --slices N} as given, or null
     * @param env     the process environment
     * @throws IllegalArgumentException naming the option or variable that is wrong
     */
    public static SliceChoice choose(String option, Integer slices, Map<String, String> env) {
        if (option != null) {
            if (slices != null) throw new IllegalArgumentException("--slice K/N already gives the number of slices: leave out --slices");
            return new SliceChoice(Slice.parse(option), "--slice");
        }
        String k8s = env.get(K8S_INDEX);
        if (k8s != null && !k8s.isBlank()) return kubernetes(k8s, slices, env.get(SLICES_VAR));
        if (slices != null) {
            throw new IllegalArgumentException("--slices " + slices + " needs " + K8S_INDEX
                    + " (set by Kubernetes in the pods of an Indexed Job); elsewhere use --slice K/N");
        }
        for (Convention c : CI) {
            String index = env.get(c.indexVar());
            String count = env.get(c.countVar());
            if (index == null || index.isBlank() || count == null || count.isBlank()) continue;
            int n = number(count, c.countVar());
            int k = number(index, c.indexVar()) - c.base() + 1;
            if (n < 1 || k < 1 || k > n) {
                throw new IllegalArgumentException(c.indexVar() + "=" + index + " and " + c.countVar() + "=" + count + " (" + c.name()
                        + ", index from " + c.base() + ") do not name a slice");
            }
            return new SliceChoice(new Slice(k, n), c.indexVar() + "/" + c.countVar() + " (" + c.name() + ")");
        }
        return WHOLE;
    }

    private static SliceChoice kubernetes(String index, Integer slices, String slicesVar) {
        Integer n = slices;
        String from = "--slices";
        if (n == null && slicesVar != null && !slicesVar.isBlank()) {
            n = number(slicesVar, SLICES_VAR);
            from = SLICES_VAR;
        }
        if (n == null) {
            throw new IllegalArgumentException(K8S_INDEX + "=" + index + " is set (a pod of a Kubernetes Indexed Job) but the number of"
                    + " slices is not: pass --slices N or set " + SLICES_VAR + " to the Job's completions (or --slice 1/1 to run every host)");
        }
        int k = number(index, K8S_INDEX) + 1;
        if (n < 1 || k > n) {
            throw new IllegalArgumentException(K8S_INDEX + "=" + index + " (from 0) is not below the number of slices " + n + " (" + from
                    + "): it must match the Job's completions");
        }
        return new SliceChoice(new Slice(k, n), K8S_INDEX + " and " + from);
    }

    private static int number(String value, String name) {
        try {
            int v = Integer.parseInt(value.strip());
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + value + "' is not a whole number");
        }
    }

    public Optional<Slice> sliced() {
        return slice.isWhole() ? Optional.empty() : Optional.of(slice);
    }
}
