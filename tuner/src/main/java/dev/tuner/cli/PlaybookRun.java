package dev.tuner.cli;

import dev.tuner.diag.InputException;
import dev.tuner.diag.TunerException;
import dev.tuner.inventory.Host;
import dev.tuner.inventory.Inventory;
import dev.tuner.inventory.PatternResult;
import dev.tuner.journal.Journal;
import dev.tuner.journal.RunJournal;
import dev.tuner.playbook.Playbook;
import dev.tuner.playbook.PlaybookParser;
import dev.tuner.run.Mode;
import dev.tuner.run.RunOptions;
import dev.tuner.run.RunResult;
import dev.tuner.run.Runner;
import dev.tuner.run.TagFilter;
import dev.tuner.run.Target;
import dev.tuner.run.VerifyOptions;
import dev.tuner.slice.Slice;
import dev.tuner.slice.SliceSet;
import dev.tuner.transport.Connection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** What plan, apply and drift share: load and check everything first, then run over the hosts. */
final class PlaybookRun {
    private PlaybookRun() {}

    /** Bad input fails here, before any host is contacted. */
    record Prepared(Playbook playbook, Inventory inventory, Map<String, Object> extraVars, SliceOptions slicing) {
        Slice slice() {
            return slicing.current();
        }

        SliceSet slices() {
            return SliceSet.of(slice());
        }

        /** One line naming the slice and how many of the playbook's hosts it has; empty when not sliced. */
        String sliceLine(String limit) {
            if (slice().isWhole()) return "";
            Set<String> all = new LinkedHashSet<>();
            for (var play : playbook.plays()) all.addAll(inventory.match(play.hosts(), limit).hostNames());
            return slicing.headline(all.size(), (int) all.stream().filter(slice()::contains).count());
        }
    }

    static Prepared prepare(Path playbookPath, InventoryOptions inv, RunCommandOptions run, SliceOptions slicing) {
        slicing.choice(); // a wrong --slice or scheduler variable fails first, before anything is read
        Playbook pb = PlaybookParser.load(playbookPath);
        Inventory inventory = inv.load(pb.baseDir());
        Map<String, Object> extra = ExtraVars.parse(run.extraVars);
        Prepared p = new Prepared(pb, inventory, extra, slicing);
        requireHosts(p, inv.limit);
        return p;
    }

    static Runner.HostSelector selector(Inventory inventory, String limit, Slice slice) {
        return new Runner.HostSelector() {
            /** A play's hosts: its pattern, --limit, then the slice (a host's slice depends on its name alone, so every play agrees). */
            @Override
            public Runner.Selection select(String pattern) {
                PatternResult r = inventory.match(pattern, limit);
                return new Runner.Selection(slice.select(r.hosts(), Host::name).stream().map(PlaybookRun::target).toList(), r.unmatched());
            }

            /** Controls are only measured, never changed: neither --limit nor the slice narrows them. */
            @Override
            public Runner.Selection controls(String pattern) {
                return selection(inventory.match(pattern, null));
            }
        };
    }

    private static Runner.Selection selection(PatternResult r) {
        return new Runner.Selection(r.hosts().stream().map(PlaybookRun::target).toList(), r.unmatched());
    }

    static Target target(Host h) {
        return new Target(h.name(), h.vars(), h.groupNames());
    }

    static Journal journal(Inventory inventory, RunCommandOptions run) {
        String dir = run.journal != null ? run.journal : System.getenv("TUNER_JOURNAL");
        return new Journal(dir != null ? Path.of(dir) : inventory.baseDir().resolve(".tuner"));
    }

    static RunResult execute(Prepared p, InventoryOptions inv, RunCommandOptions run, Mode mode, String command, Progress progress) {
        return execute(p, inv, run, mode, command, progress, false, VerifyOptions.OFF, null, null, null);
    }

    /**
     * Runs the playbook. An apply runs guarded (see {@link GuardedRun}): the journal's lock and each
     * host's lock, taken as the run reaches the host, waiting up to {@code lock}'s timeout, and a
     * graceful stop on the first interrupt, which the journal records as {@code interrupted}. Plan
     * and drift only read: they take no lock ({@code lock}, {@code interrupts} and {@code err}, where
     * an apply warns about locks it could not release, may be null).
     */
    static RunResult execute(Prepared p, InventoryOptions inv, RunCommandOptions run, Mode mode, String command, Progress progress,
                             boolean allowPowerCycle, VerifyOptions verify, LockOptions lock, Interrupts interrupts, PrintWriter err) {
        Function<Target, Connection> opener = ConnectionOpener.create(run.acceptNewHostKeys);
        if (mode != Mode.APPLY) {
            RunOptions options = new RunOptions(mode, run.forks, TagFilter.of(run.tags, run.skipTags), p.extraVars(), allowPowerCycle, verify);
            RunResult result = new Runner(options, opener, progress, null).run(p.playbook(), selector(p.inventory(), inv.limit, p.slice()));
            progress.clear();
            return result;
        }
        RunResult result;
        String endNotJournaled;
        try (GuardedRun g = GuardedRun.begin(journal(p.inventory(), run), command, p.playbook().displayName(), inv, null, lock, interrupts,
                progress, err, id -> rollbackCommand(id, inv, run))) {
            RunOptions options = new RunOptions(mode, run.forks, TagFilter.of(run.tags, run.skipTags), p.extraVars(), allowPowerCycle,
                    verify.stoppedBy(g.stop()));
            result = new Runner(options, opener, g.activity, g.journal, g.control()).run(p.playbook(), selector(p.inventory(), inv.limit, p.slice()));
            progress.clear();
            endNotJournaled = g.finish(result.anyFailed() ? "failed" : result.regressionStays() ? "regressed"
                    : result.stopped() != null ? "stopped" : "ok", counts(result));
        }
        if (endNotJournaled == null) return result;
        // Every host's records were written before the run's end: the run can be rolled back, and
        // what it did must still be reported.
        throw new EndNotJournaled(result, endNotJournaled + ": every host's records were written before it, so '"
                + rollbackCommand(result.runId(), inv, run) + "' can undo it, but 'tuner history' shows the run as running");
    }

    /** An apply that did its work but could not journal its end: the caller reports the run, then this, and exits 1. */
    static final class EndNotJournaled extends TunerException {
        private final transient RunResult result;

        EndNotJournaled(RunResult result, String message) {
            super(message);
            this.result = result;
        }

        RunResult result() {
            return result;
        }
    }

    /** The command that rolls back run {@code runId} with the same inventory and journal. */
    static String rollbackCommand(String runId, InventoryOptions inv, RunCommandOptions run) {
        return "tuner rollback " + runId + " " + GuardedRun.inventoryArgs(inv) + (run.journal != null ? " --journal " + run.journal : "");
    }

    static Map<String, Object> counts(RunResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hosts", r.recap().size());
        m.put("changed", r.recap().stream().mapToInt(RunResult.Recap::changed).sum());
        m.put("failed", r.recap().stream().mapToInt(RunResult.Recap::failed).sum());
        m.put("unreachable", r.recap().stream().mapToInt(RunResult.Recap::unreachable).sum());
        m.put("not_started", r.notStarted().size());
        if (r.stopped() != null) {
            m.put("stopped", r.stopped());
            m.put("not_started_hosts", r.notStarted());
        }
        return m;
    }

    static void requireHosts(Prepared p, String limit) {
        boolean any = p.playbook().plays().stream().anyMatch(play -> !p.inventory().match(play.hosts(), limit).hosts().isEmpty());
        if (!any) {
            throw new InputException(dev.tuner.diag.Location.of(p.playbook().displayName()),
                    "no play of this playbook matches any host of the inventory" + (limit != null ? " with --limit " + limit : ""));
        }
    }
}
