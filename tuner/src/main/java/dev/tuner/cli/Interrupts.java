package dev.tuner.cli;

import dev.tuner.report.Interruption;
import dev.tuner.run.HostResult;
import dev.tuner.run.RunListener;
import dev.tuner.transport.StopRequest;
import java.io.PrintStream;
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

    /** The signal that stopped the command and the exit code it gives; null when none did. */
    Interruption interruption() {
        return stop.requested() ? new Interruption(stop.reason(), exitCode) : null;
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
}
