package dev.tuner.cli;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Location;
import dev.tuner.diag.Problem;
import dev.tuner.inventory.Host;
import dev.tuner.inventory.Inventory;
import dev.tuner.inventory.PatternResult;
import dev.tuner.playbook.Play;
import dev.tuner.playbook.Playbook;
import dev.tuner.playbook.PlaybookParser;
import dev.tuner.run.HostVariablesCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate",
        mixinStandardHelpOptions = true,
        description = {"Check playbooks and inventories without connecting to anything.",
                "YAML syntax, duplicate and unknown keys, types, setting kinds and their rules, host patterns",
                "and, with -i, the variables each host gets. Every problem as file:line:col."},
        footer = {"", "Examples:",
                "  tuner validate playbooks/*.yml",
                "  tuner validate playbooks/db-host.yml -i prod -e swappiness=5",
                "  tuner validate -i inventories/prod.yml",
                "", "Exit codes: 0 valid, 1 problems found."},
        sortOptions = false)
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PLAYBOOK", arity = "0..*", description = "Playbooks to check.")
    List<Path> playbooks = new ArrayList<>();

    @Mixin InventoryOptions inventory;
    @Mixin Verbosity verbosity;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS", description = ExtraVars.DESCRIPTION)
    List<String> extraVars = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE}).", defaultValue = "text")
    String format = "text";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (playbooks.isEmpty() && inventory.inventories.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give at least one playbook or -i INVENTORY");
        }
        Diagnostics diags = new Diagnostics();
        Optional<Inventory> inv = Optional.empty();
        if (!inventory.inventories.isEmpty()) {
            inv = Inventory.validate(inventory.inventories, Path.of("").toAbsolutePath(), diags);
        }
        Map<String, Object> extra = ExtraVars.parse(extraVars);
        List<String> summaries = new ArrayList<>();
        for (Path p : playbooks) {
            Diagnostics mine = new Diagnostics();
            Playbook pb = PlaybookParser.parse(p, mine);
            if (pb != null && inv.isPresent() && !mine.hasErrors()) {
                checkPatterns(pb, inv.get(), mine);
                // The playbook's own group_vars/ and host_vars/ join the inventory's for its hosts.
                // Problems of the inventory itself were reported once already: only those of the playbook's vars files are new.
                Diagnostics again = new Diagnostics();
                Inventory withPlaybookVars = Inventory.validate(inventory.inventories, Path.of("").toAbsolutePath(), pb.baseDir(), again)
                        .orElse(null);
                again.all().stream().filter(problem -> !diags.all().contains(problem)).forEach(mine::add);
                if (withPlaybookVars != null) checkHostVariables(pb, withPlaybookVars, extra, mine);
            }
            diags.addAll(mine);
            if (pb != null && !mine.hasErrors()) {
                int tasks = pb.plays().stream().mapToInt(pl -> pl.tasks().size()).sum();
                summaries.add("ok: " + pb.displayName() + " (" + pb.plays().size() + " play(s), " + tasks + " task(s))");
            }
        }
        inv.ifPresent(i -> summaries.add("ok: inventory " + String.join(", ", inventory.inventories) + " (" + i.hosts().size()
                + " host(s), " + (i.groups().size()) + " group(s))"));
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.print(ProblemsJson.render(diags.all()));
        } else {
            PrintWriter err = spec.commandLine().getErr();
            for (Problem pr : diags.all()) err.println(pr);
            if (diags.hasErrors()) err.println(diags.errorCount() + " error(s)");
            else summaries.forEach(out::println);
            err.flush();
        }
        out.flush();
        return diags.hasErrors() ? ExitCodes.ERROR : ExitCodes.OK;
    }

    /** With an inventory, each play's tasks rendered with the variables of each of its hosts, as plan will. */
    private void checkHostVariables(Playbook pb, Inventory inv, Map<String, Object> extra, Diagnostics diags) {
        HostVariablesCheck check = new HostVariablesCheck();
        for (Play play : pb.plays()) {
            if (play.hosts().isBlank()) continue;
            for (Host h : inv.match(play.hosts(), inventory.limit).hosts()) check.check(play, PlaybookRun.target(h), extra);
        }
        check.report(diags);
    }

    private void checkPatterns(Playbook pb, Inventory inv, Diagnostics diags) {
        for (Play play : pb.plays()) {
            if (play.hosts().isBlank()) continue;
            PatternResult r = inv.match(play.hosts(), inventory.limit);
            for (String u : r.unmatched()) diags.error(play.at(), "host pattern '" + u + "' of play '" + play.label() + "' matches no host of the inventory");
            if (r.unmatched().isEmpty() && r.hosts().isEmpty())
                diags.error(play.at(), "hosts '" + play.hosts() + "' of play '" + play.label() + "' select no host"
                        + (inventory.limit != null ? " with --limit " + inventory.limit : ""));
            Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();
            r.hosts().forEach(h -> hostVars.put(h.name(), h.vars()));
            for (String p : play.inventoryVarProblems(hostVars)) diags.error(Location.of("-i " + String.join(" -i ", inventory.inventories)), p);
        }
    }
}
