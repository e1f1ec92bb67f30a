package dev.tuner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tuner.journal.Journal;
import dev.tuner.journal.RunSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "history",
        mixinStandardHelpOptions = true,
        description = "List journaled runs (applies and rollbacks), newest last.",
        footer = {"", "Examples:",
                "  tuner history -i prod",
                "  tuner history -i prod --format json"},
        sortOptions = false)
final class HistoryCommand implements Callable<Integer> {
    @Mixin InventoryOptions inventory;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal directory (default: .tuner/ beside the inventory).")
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
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(runs));
        } else if (runs.isEmpty()) {
            out.println("no runs journaled in " + j.dir());
        } else {
            out.printf("%-22s %-20s %-9s %-8s %6s %8s %7s  %s%n", "RUN", "STARTED", "COMMAND", "STATUS", "HOSTS", "CHANGED", "FAILED", "PLAYBOOK");
            for (RunSummary r : runs) {
                Map<String, Object> c = r.counts() == null ? Map.of() : r.counts();
                out.printf("%-22s %-20s %-9s %-8s %6s %8s %7s  %s%n", r.id(), r.started().replace('T', ' ').substring(0, 19),
                        r.command(), r.status(), c.getOrDefault("hosts", "-"), c.getOrDefault("changed", "-"),
                        c.getOrDefault("failed", "-"), r.playbook() + (r.rollbackOf() != null ? " (rollback of " + r.rollbackOf() + ")" : ""));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
