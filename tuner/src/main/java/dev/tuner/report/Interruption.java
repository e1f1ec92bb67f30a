package dev.tuner.report;

import dev.tuner.run.HostResult;
import dev.tuner.run.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run that a signal stopped gracefully: which signal, the exit code it gave the command, and
 * how each host was left. The per-host states are worked out here once, for the lines printed on
 * stderr and for the run document's {@code interrupted} object alike.
 */
public record Interruption(String signal, int exitCode) {

    /**
     * How one host was left, over all its plays (the worst of them): {@code changed},
     * {@code unchanged}, {@code reverted} or {@code uncertain}, and the detail that says so.
     */
    public record HostState(String host, String state, String detail) {}

    /** Every host of the run once, in the order the run met it, hosts it did not start included; secrets masked unless {@code showSecrets}. */
    public static List<HostState> hostStates(RunResult run, boolean showSecrets) {
        Map<String, HostState> hosts = new LinkedHashMap<>();
        for (RunResult.PlayResult p : run.plays()) {
            for (HostResult h : p.results()) {
                HostState now = state(h, Masking.of(h, showSecrets));
                hosts.merge(h.host(), now, (a, b) -> rank(b.state()) > rank(a.state()) ? b : a);
            }
            // Hosts of the batches the stop kept from starting.
            for (String h : p.notStarted()) hosts.putIfAbsent(h, new HostState(h, "unchanged", "not started: " + p.stopped()));
        }
        return new ArrayList<>(hosts.values());
    }

    /** The host states as lines for a person, {@code "  lab01  changed    as planned"}; empty when there is no host. */
    public static String lines(List<HostState> states) {
        int width = states.stream().mapToInt(s -> s.host().length()).max().orElse(4);
        StringBuilder sb = new StringBuilder();
        for (HostState s : states) sb.append(String.format("  %-" + width + "s  %-9s  %s", s.host(), s.state(), s.detail())).append('\n');
        return sb.toString();
    }

    /** Whether some host of the run may hold a change of it: then a rollback has something to undo. */
    public static boolean leftChanges(RunResult run) {
        return hostStates(run, true).stream().anyMatch(s -> s.state().equals("changed") || s.state().equals("uncertain"));
    }

    private static HostState state(HostResult h, Masking m) {
        String left = h.leftState() == null ? "" : m.text(h.leftState());
        String[] s = switch (h.status()) {
            case CHANGED -> new String[] {"changed", left + (h.verification().notes().isEmpty() ? "" : "; " + String.join("; ", m.texts(h.verification().notes())))};
            case OK -> new String[] {"unchanged", "nothing to change"};
            case SKIPPED -> new String[] {"unchanged", h.notes().isEmpty() ? "skipped" : m.text(h.notes().get(0))};
            case FAILED, UNREACHABLE -> {
                String why = h.error() == null ? "" : m.text(h.error()) + ": ";
                if (left.isEmpty() || left.equals("unchanged") || left.startsWith("left unchanged")) yield new String[] {"unchanged", why + "left unchanged"};
                if (left.startsWith("reverted")) yield new String[] {"reverted", why + left};
                if (left.startsWith("applied except")) yield new String[] {"changed", why + left};
                yield new String[] {"uncertain", why + left};
            }
        };
        return new HostState(h.host(), s[0], s[1]);
    }

    private static int rank(String state) {
        return switch (state) {
            case "uncertain" -> 3;
            case "changed" -> 2;
            case "reverted" -> 1;
            default -> 0;
        };
    }
}
