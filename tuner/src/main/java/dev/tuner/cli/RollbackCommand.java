package dev.tuner.cli;

import dev.tuner.diag.TunerException;
import dev.tuner.inventory.Host;
import dev.tuner.inventory.Inventory;
import dev.tuner.journal.Journal;
import dev.tuner.journal.RunSummary;
import dev.tuner.report.Interruption;
import dev.tuner.run.Rollback;
import dev.tuner.run.RunControl;
import dev.tuner.run.RunResult;
import dev.tuner.run.Target;
import dev.tuner.slice.Slice;
import dev.tuner.slice.SliceSet;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollback",
        mixinStandardHelpOptions = true,
        description = {"Restore the values and files a journaled run changed, exactly as they were before it.",
                "Each host is read first, like a plan: what still holds what the run left goes back; what is",
                "already as before is left alone; what someone changed since the run is refused and named",
                "(--force restores it too). A change the run started but did not record as done (the run was",
                "killed) counts as possibly done. Without RUN, the latest apply that changed anything, also",
                "when it failed part way, was interrupted or put its changes back itself (then nothing is left",
                "to do: an older run is never undone in its place). A run already rolled back is not replayed:",
                "the command says so and changes nothing. The rollback is journaled too (roll it back to redo the run)."},
        footer = {"", "Examples:",
                "  tuner rollback -i prod",
                "  tuner rollback 20261127-101500-3f2a -i prod --limit db01.example.com",
                "  tuner rollback -i prod --slice 2/3",
                "  tuner rollback 3f2a -i prod --check",
                "", "With --slice: the latest apply that changed a host of that slice, on those hosts only.",
                "", "Like apply, it holds each host's lock (and the journal's) while it works, and stops gracefully on SIGINT/SIGTERM.",
                "", "Exit codes: 0 restored (or nothing to restore), 1 a host or an item could not be restored (named),",
                "or a host was restored but the rollback could not be journaled (a full disk: run it again once there is room),",
                "2 --check found something to restore, 130 / 143 stopped by SIGINT / SIGTERM."},
        sortOptions = false)
final class RollbackCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", arity = "0..1", description = "Run id from 'tuner history' (a unique suffix is enough).")
    String runId;

    @Option(names = {"-C", "--check"}, description = "Read the hosts and show what would be restored; change nothing.")
    boolean check;

    @Option(names = "--force", description = "Restore also the values and files changed on the host since the run.")
    boolean force;

    @Option(names = "--allow-power-cycle",
            description = "VMs may be power-cycled to restore vmx settings that need it (as for apply).")
    boolean allowPowerCycle;

    @Mixin InventoryOptions inventory;
    @Mixin RunCommandOptions run;
    @Mixin SliceOptions slicing;
    @Mixin OutputOptions output;
    @Mixin LockOptions lock;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Slice slice = slicing.current();
        Inventory inv = inventory.load();
        Journal journal = PlaybookRun.journal(inv, run);
        RunSummary target = runId != null
                ? journal.find(runId).orElseThrow(() -> new TunerException("no run '" + runId + "' in " + journal.dir() + " (see 'tuner history')"))
                : latestChange(journal, slice);
        if (target.command().equals("bench")) throw new TunerException("run " + target.id() + " measured benchmarks only: it changed nothing to roll back");
        if (RunSummary.RUNNING.equals(target.status()))
            throw new TunerException("run " + target.id() + " is still running (process " + target.pid() + "): roll it back once it has ended");
        Journal.RunEvents events = journal.read(target.id());
        PrintWriter err = spec.commandLine().getErr();
        events.warnings().forEach(w -> err.println("warning: " + w));
        err.flush();

        Set<String> selected = inventory.limit == null ? null
                : inv.select("all", inventory.limit).stream().map(Host::name).collect(Collectors.toSet());
        Map<String, String> rolledBack = journal.rollbacks(target.id());
        Set<String> touched = Set.copyOf(journal.touchedHosts(target.id()));
        Set<String> changed = Set.copyOf(journal.changedHosts(target.id()));
        List<Target> targets = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String host : events.hosts().keySet()) {
            if (selected != null && !selected.contains(host) || !touched.contains(host) || !slice.contains(host)) continue;
            Host h = inv.host(host).orElse(null);
            if (h == null) {
                if (changed.contains(host) && !rolledBack.containsKey(host)) missing.add(host);
            } else {
                targets.add(target(h));
            }
        }
        if (!missing.isEmpty()) throw new TunerException("run " + target.id() + " changed hosts that are not in this inventory: "
                + String.join(", ", missing) + " (use the inventory of that run, or --limit to leave them out)");
        if (targets.isEmpty()) {
            throw new TunerException("run " + target.id() + " changed " + (touched.isEmpty() ? "nothing" : "no host")
                    + (inventory.limit != null ? " matching --limit " + inventory.limit : "")
                    + (slice.isWhole() ? "" : " of slice " + slice) + ": nothing to roll back");
        }
        boolean anyToDo = targets.stream().anyMatch(t -> changed.contains(t.name()) && !rolledBack.containsKey(t.name()));
        if (!anyToDo) {
            err.println(targets.stream().anyMatch(t -> rolledBack.containsKey(t.name()))
                    ? "run " + target.id() + " was already rolled back by " + String.join(", ", new java.util.LinkedHashSet<>(rolledBack.values()))
                            + ": nothing changed (roll that rollback back to bring the run's changes back)"
                    : "run " + target.id() + " put back what it changed itself: nothing to roll back");
            err.flush();
        }
        Progress progress = Progress.forTerminal();
        Rollback.Options options = new Rollback.Options(run.forks, force, check);
        RunResult result;
        // Nothing is journaled or locked for a rollback that only reads (--check) or has nothing to do.
        if (check || !anyToDo) {
            result = new Rollback(ConnectionOpener.create(run.acceptNewHostKeys), null, options, progress, RunControl.unlocked())
                    .run(target.id(), target.playbook(), events.hosts(), targets, rolledBack);
            progress.clear();
            return render(result, slice, target, null).exitCode();
        }
        Interrupts interrupts = Main.interrupts(spec);
        // Rolling back again finishes what an interrupted rollback left: hosts already restored have nothing left to restore.
        String again = "tuner rollback " + target.id() + " " + GuardedRun.inventoryArgs(inventory) + (run.journal != null ? " --journal " + run.journal : "");
        try (GuardedRun g = GuardedRun.begin(journal, "rollback", target.playbook(), inventory, target.id(), lock, interrupts, progress, err,
                id -> again + " (again, for the hosts not restored yet)")) {
            result = new Rollback(ConnectionOpener.create(run.acceptNewHostKeys), g.journal, options, g.activity, g.control())
                    .run(target.id(), target.playbook(), events.hosts(), targets, rolledBack);
            progress.clear();
            g.journal.finish(g.status(result.anyFailed() ? RunSummary.FAILED : RunSummary.OK), PlaybookRun.counts(result));
        }
        Interruption interrupted = interrupts.interruption();
        render(result, slice, target, interrupted);
        if (interrupted == null) return result.exitCode();
        err.println("Interrupted (" + interrupted.signal() + "): no host was started after it. Hosts as the rollback left them:");
        err.print(Interruption.lines(Interruption.hostStates(result, run.showSecrets)));
        err.println("To restore the hosts not restored yet: " + again);
        err.flush();
        return interrupted.exitCode();
    }

    private RunResult render(RunResult result, Slice slice, RunSummary target, Interruption interrupted) {
        String headline = slice.isWhole() ? "" : SliceSet.of(slice).describe() + " (" + slicing.choice().source() + "): run " + target.id();
        spec.commandLine().getOut().print(Rendering.render(result, output, true, SliceSet.of(slice), headline, run.showSecrets, interrupted));
        spec.commandLine().getOut().flush();
        return result;
    }

    private Target target(Host h) {
        if (!allowPowerCycle) return PlaybookRun.target(h);
        // The rollback has no playbook: the permission reaches the vmx kind as the variable apply sets.
        Map<String, Object> vars = new LinkedHashMap<>(h.vars());
        vars.put(dev.tuner.run.RunOptions.ALLOW_POWER_CYCLE_VAR, true);
        return new Target(h.name(), vars, h.groupNames());
    }

    /**
     * The latest apply that changed something (or may have: interrupted, failed part way), by start
     * time; also when it put its changes back itself, so an older run is never undone in its place.
     * In a slice, the latest that touched a host of the slice: each slice's apply is a journaled run
     * of its own, so the slices of one sliced apply are found one by one.
     */
    private static RunSummary latestChange(Journal journal, Slice slice) {
        List<RunSummary> runs = journal.list();
        for (int i = runs.size() - 1; i >= 0; i--) {
            RunSummary r = runs.get(i);
            if (!r.command().equals("apply") || RunSummary.RUNNING.equals(r.status())) continue;
            if (journal.touchedHosts(r.id()).stream().anyMatch(slice::contains)) return r;
        }
        throw new TunerException("no apply that changed anything" + (slice.isWhole() ? "" : " on a host of slice " + slice)
                + " is journaled in " + journal.dir() + " (see 'tuner history')");
    }
}
