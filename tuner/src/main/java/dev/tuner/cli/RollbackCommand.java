package dev.tuner.cli;

import dev.tuner.diag.TunerException;
import dev.tuner.inventory.Host;
import dev.tuner.inventory.Inventory;
import dev.tuner.journal.Journal;
import dev.tuner.journal.JournalEvent;
import dev.tuner.journal.RunJournal;
import dev.tuner.journal.RunSummary;
import dev.tuner.run.Rollback;
import dev.tuner.run.RunResult;
import dev.tuner.run.Target;
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
                "", "Exit codes: 0 restored, 1 a host could not be restored (it is listed)."},
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
        RunJournal rj = journal.begin("rollback", target.playbook(), List.copyOf(inventory.inventories), target.id());
        Progress progress = Progress.forTerminal();
        RunResult result = new Rollback(ConnectionOpener.create(run.acceptNewHostKeys), rj, run.forks, progress)
                .run(target.id(), target.playbook(), events, targets);
        progress.clear();
        rj.finish(result.anyFailed() ? "failed" : "ok", PlaybookRun.counts(result));
        spec.commandLine().getOut().print(Rendering.render(result, output, true, run.showSecrets));
        spec.commandLine().getOut().flush();
        return result.anyFailed() ? ExitCodes.ERROR : ExitCodes.OK;
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
