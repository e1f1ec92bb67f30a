package dev.tuner.cli;

import dev.tuner.diag.TunerException;
import dev.tuner.inventory.Host;
import dev.tuner.inventory.Inventory;
import dev.tuner.journal.Journal;
import dev.tuner.journal.JournalEvent;
import dev.tuner.journal.RunSummary;
import dev.tuner.run.Rollback;
import dev.tuner.run.RunResult;
import dev.tuner.run.Target;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "rollback",
        mixinStandardHelpOptions = true,
        description = {"Restore the values and files a journaled run changed, exactly as they were before it.",
                "Without RUN, the latest apply. The rollback is journaled too."},
        footer = {"", "Examples:",
                "  tuner rollback -i prod",
                "  tuner rollback 20261127-101500-3f2a -i prod --limit db01.example.com",
                "", "Like apply, it holds each host's lock (and the journal's) while it works, and stops gracefully on SIGINT/SIGTERM.",
                "", "Exit codes: 0 restored, 1 a host could not be restored (it is listed), 130 / 143 stopped by SIGINT / SIGTERM."},
        sortOptions = false)
final class RollbackCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", arity = "0..1", description = "Run id from 'tuner history' (a unique suffix is enough).")
    String runId;

    @picocli.CommandLine.Option(names = "--allow-power-cycle",
            description = "VMs may be power-cycled to restore vmx settings that need it (as for apply).")
    boolean allowPowerCycle;

    @Mixin InventoryOptions inventory;
    @Mixin RunCommandOptions run;
    @Mixin OutputOptions output;
    @Mixin LockOptions lock;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Inventory inv = inventory.load();
        Journal journal = PlaybookRun.journal(inv, run);
        RunSummary target = runId != null
                ? journal.find(runId).orElseThrow(() -> new TunerException("no run '" + runId + "' in " + journal.dir() + " (see 'tuner history')"))
                : latestApply(journal);
        Map<String, List<JournalEvent>> events = journal.events(target.id());
        Set<String> selected = inventory.limit == null ? null
                : inv.select("all", inventory.limit).stream().map(Host::name).collect(Collectors.toSet());
        List<Target> targets = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String host : events.keySet()) {
            if (selected != null && !selected.contains(host)) continue;
            Host h = inv.host(host).orElse(null);
            if (h == null) missing.add(host);
            else if (!allowPowerCycle) targets.add(PlaybookRun.target(h));
            else {
                // The rollback has no playbook: the permission reaches the vmx kind as the variable apply sets.
                Map<String, Object> vars = new java.util.LinkedHashMap<>(h.vars());
                vars.put(dev.tuner.run.RunOptions.ALLOW_POWER_CYCLE_VAR, true);
                targets.add(new Target(h.name(), vars, h.groupNames()));
            }
        }
        if (!missing.isEmpty()) throw new TunerException("run " + target.id() + " changed hosts that are not in this inventory: "
                + String.join(", ", missing) + " (use the inventory of that run, or --limit to leave them out)");
        if (targets.isEmpty()) throw new TunerException("run " + target.id() + " changed no host" + (inventory.limit != null ? " matching --limit " + inventory.limit : ""));
        Progress progress = Progress.forTerminal();
        Interrupts interrupts = Main.interrupts(spec);
        PrintWriter err = spec.commandLine().getErr();
        // Rolling back again finishes what an interrupted rollback left: hosts already restored have nothing left to restore.
        String again = "tuner rollback " + target.id() + " " + GuardedRun.inventoryArgs(inventory) + (run.journal != null ? " --journal " + run.journal : "");
        RunResult result;
        try (GuardedRun g = GuardedRun.begin(journal, "rollback", target.playbook(), inventory, target.id(), lock, interrupts, progress, err,
                id -> again + " (again, for the hosts not restored yet)")) {
            result = new Rollback(ConnectionOpener.create(run.acceptNewHostKeys), g.journal, run.forks, g.activity, g.control())
                    .run(target.id(), target.playbook(), events, targets);
            progress.clear();
            g.journal.finish(g.status(result.anyFailed() ? "failed" : "ok"), PlaybookRun.counts(result));
        }
        spec.commandLine().getOut().print(Rendering.render(result, output, true));
        spec.commandLine().getOut().flush();
        if (!interrupts.stopped()) return result.anyFailed() ? ExitCodes.ERROR : ExitCodes.OK;
        err.println("Interrupted (" + interrupts.stop().reason() + "): no host was started after it. Hosts as the rollback left them:");
        err.print(Interrupts.summary(result));
        err.println("To restore the hosts not restored yet: " + again);
        err.flush();
        return interrupts.exitCode();
    }

    private static RunSummary latestApply(Journal journal) {
        List<RunSummary> runs = journal.list();
        // The latest apply that changed something: a re-apply that found nothing to do has nothing to undo.
        for (int i = runs.size() - 1; i >= 0; i--) {
            RunSummary r = runs.get(i);
            Object changed = r.counts() == null ? null : r.counts().get("changed");
            if (r.command().equals("apply") && !(changed instanceof Number n && n.intValue() == 0)) return r;
        }
        throw new TunerException("no apply run journaled in " + journal.dir() + " (see 'tuner history')");
    }
}
