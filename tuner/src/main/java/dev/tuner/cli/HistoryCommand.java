package dev.tuner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tuner.journal.Journal;
import dev.tuner.journal.RunSummary;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "history",
        mixinStandardHelpOptions = true,
        description = {"List journaled runs (applies, rollbacks, benchmark baselines) by start time, newest last.",
                "STATUS: running, ok, failed, regressed (a verified regression was kept), interrupted (stopped by a",
                "signal, or its process vanished without an end), rolled back (a rollback restored every host it changed)."},
        footer = {"", "Examples:",
                "  tuner history -i prod",
                "  tuner history -i prod --format json"},
        sortOptions = false)
final class HistoryCommand implements Callable<Integer> {
    @Mixin InventoryOptions inventory;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal directory (default: .tuner/ beside the inventory; env TUNER_JOURNAL).")
    String journal;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE}).", defaultValue = "text")
    String format = "text";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunCommandOptions opts = new RunCommandOptions();
        opts.journal = journal;
        Journal j = PlaybookRun.journal(inventory.load(), opts);
        List<RunSummary> runs = j.list();
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document(j, runs)));
        } else if (runs.isEmpty()) {
            out.println("no runs journaled in " + j.dir());
        } else {
            String row = "%-22s %-20s %-9s %-12s %6s %8s %7s  %s%n";
            out.printf(row, "RUN", "STARTED", "COMMAND", "STATUS", "HOSTS", "CHANGED", "FAILED", "PLAYBOOK");
            for (RunSummary r : runs) {
                Map<String, Object> c = r.counts() == null ? Map.of() : r.counts();
                String about = (r.rollbackOf() != null ? " (rollback of " + r.rollbackOf() + ")" : "")
                        + (r.rolledBackBy() != null ? " (rolled back by " + r.rolledBackBy() + ")" : "");
                out.printf(row, r.id(), r.started().replace('T', ' ').substring(0, 19), r.command(), r.status(),
                        c.getOrDefault("hosts", "-"), c.getOrDefault("changed", "-"), c.getOrDefault("failed", "-"), r.playbook() + about);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The history document (docs/json-output.md). */
    private static Map<String, Object> document(Journal j, List<RunSummary> runs) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (RunSummary r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("command", r.command());
            m.put("playbook", r.playbook());
            m.put("inventories", r.inventories() == null ? List.of() : r.inventories());
            m.put("started", r.started());
            m.put("finished", r.finished());
            m.put("status", r.status());
            m.put("rollback_of", r.rollbackOf());
            m.put("rolled_back_by", r.rolledBackBy());
            m.put("counts", r.counts());
            list.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format_version", 1);
        doc.put("journal", j.dir().toString());
        doc.put("runs", list);
        return doc;
    }
}
