package dev.tuner.cli;

import dev.tuner.run.HostResult;
import dev.tuner.run.RunListener;
import dev.tuner.run.RunResult;
import dev.tuner.transport.StopRequest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM. While a command changes hosts (apply, rollback, bench), the first one stops
 * it gracefully: no new change starts, changes in progress finish or are reverted, benchmarks are
 * cut short and cleaned up; the command then says per host how it was left and exits
 * {@value #SIGINT_EXIT} (SIGINT) or {@value #SIGTERM_EXIT} (SIGTERM). A second signal ends the process at
 * once, saying what may be left. Any other command ends at once, as without a handler.
 */
final class Interrupts {
    static final int SIGINT_EXIT = 130;
    static final int SIGTERM_EXIT = 143;

    private final StopRequest stop = new StopRequest();
    private final PrintStream err;
    private volatile Supplier<String> leftIfQuit;
    private volatile int exitCode;

    Interrupts(PrintStream err) {
        this.err = err;
    }

    /** Routes this process's SIGINT and SIGTERM here. A signal ignored when the process started (a background job's SIGINT) stays ignored. */
    void install() {
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal.handle(new Signal(name), s -> received("SIG" + s.getName(), 128 + s.getNumber()));
            } catch (IllegalArgumentException e) {
                // This platform or JVM does not let us handle it: its default stays.
            }
        }
    }

    /** The stop request the first signal sets. */
    StopRequest stop() {
        return stop;
    }

    /**
     * From now on, the first signal stops the command gracefully; {@code leftIfQuit} says what a
     * second one, which quits at once, may leave behind.
     */
    void changing(Supplier<String> leftIfQuit) {
        this.leftIfQuit = leftIfQuit;
    }

    boolean stopped() {
        return stop.requested();
    }

    /** 130 after SIGINT, 143 after SIGTERM. */
    int exitCode() {
        return exitCode;
    }

    synchronized void received(String signal, int code) {
        Supplier<String> left = leftIfQuit;
        if (left == null) {
            err.println();
            err.println(signal + ": quitting; no host was being changed.");
            err.flush();
            System.exit(code);
        }
        if (!stop.requested()) {
            // Set before the request: whoever sees the request sees the code.
            exitCode = code;
            stop.request(signal);
            err.println();
            err.println(signal + ": stopping. No new change starts; hosts in the middle of a change finish it or are reverted;"
                    + " benchmarks are cut short and their servers stopped. " + signal + " again quits at once, leaving things half-done.");
            err.flush();
            return;
        }
        err.println();
        err.println(signal + " again: quitting at once. What may be left:");
        err.println(left.get());
        err.flush();
        Runtime.getRuntime().halt(code);
    }

    /** A listener that remembers what each host is doing, for the second signal's message, and passes everything on. */
    static final class Activity implements RunListener {
        private final RunListener next;
        private final Map<String, String> doing = new ConcurrentHashMap<>();

        Activity(RunListener next) {
            this.next = next;
        }

        @Override
        public void playStarted(String play, int hosts) {
            next.playStarted(play, hosts);
        }

        @Override
        public void hostStarted(String host, String what) {
            doing.put(host, what);
            next.hostStarted(host, what);
        }

        @Override
        public void hostFinished(HostResult result) {
            doing.remove(result.host());
            next.hostFinished(result);
        }

        /** "  lab01: was applying sysctl" lines for hosts not finished yet; empty when none. */
        String inProgress() {
            StringBuilder sb = new StringBuilder();
            new java.util.TreeMap<>(doing).forEach((h, what) -> {
                sb.append("  ").append(h).append(": was ").append(what);
                if (what.startsWith("applying") || what.startsWith("reverting") || what.startsWith("restoring") || what.startsWith("rolling back")) {
                    sb.append(": may be partly changed");
                } else if (what.startsWith("measuring")) {
                    sb.append(": benchmark processes may still run there (the next measurement on it stops them)");
                }
                sb.append('\n');
            });
            return sb.toString();
        }
    }

    /** How each host of a run was left, one line each, worst first within a host's plays. */
    static String summary(RunResult run) {
        Map<String, String[]> hosts = new LinkedHashMap<>();
        for (RunResult.PlayResult p : run.plays()) {
            for (HostResult h : p.results()) {
                String[] now = state(h);
                hosts.merge(h.host(), now, (a, b) -> rank(b[0]) > rank(a[0]) ? b : a);
            }
            // Hosts of the batches the stop kept from starting.
            for (String h : p.notStarted()) hosts.putIfAbsent(h, new String[] {"unchanged", "not started: " + p.stopped()});
        }
        int width = hosts.keySet().stream().mapToInt(String::length).max().orElse(4);
        List<String> lines = new ArrayList<>();
        hosts.forEach((h, s) -> lines.add(String.format("  %-" + width + "s  %-9s  %s", h, s[0], s[1])));
        return String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
    }

    /** changed / unchanged / reverted / uncertain, and the detail that says so. */
    private static String[] state(HostResult h) {
        String left = h.leftState() == null ? "" : h.leftState();
        return switch (h.status()) {
            case CHANGED -> new String[] {"changed", left + (h.verification().notes().isEmpty() ? "" : "; " + String.join("; ", h.verification().notes()))};
            case OK -> new String[] {"unchanged", "nothing to change"};
            case SKIPPED -> new String[] {"unchanged", h.notes().isEmpty() ? "skipped" : h.notes().get(0)};
            case FAILED, UNREACHABLE -> {
                String why = h.error() == null ? "" : h.error() + ": ";
                if (left.isEmpty() || left.equals("unchanged") || left.startsWith("left unchanged")) yield new String[] {"unchanged", why + "left unchanged"};
                if (left.startsWith("reverted")) yield new String[] {"reverted", why + left};
                if (left.startsWith("applied except")) yield new String[] {"changed", why + left};
                yield new String[] {"uncertain", why + left};
            }
        };
    }

    /** Whether some host of the run may hold a change of it: then a rollback has something to undo. */
    static boolean leftChanges(RunResult run) {
        return run.plays().stream().flatMap(p -> p.results().stream()).map(h -> state(h)[0])
                .anyMatch(s -> s.equals("changed") || s.equals("uncertain"));
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
