package dev.tuner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Location;
import dev.tuner.diag.Problem;
import dev.tuner.inventory.Inventory;
import dev.tuner.inventory.PatternResult;
import dev.tuner.playbook.Play;
import dev.tuner.playbook.Playbook;
import dev.tuner.playbook.PlaybookParser;
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
        description = {"Check playbooks and inventories without connecting to anything: YAML syntax, duplicate and",
                "unknown keys, types, setting kinds and their rules, host patterns. Every problem as file:line:col."},
        footer = {"", "Examples:",
                "  tuner validate playbooks/*.yml",
                "  tuner validate playbooks/db-host.yml -i prod",
                "  tuner validate -i inventories/prod.yml",
                "", "Exit codes: 0 valid, 1 problems found."},
        sortOptions = false)
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PLAYBOOK", arity = "0..*", description = "Playbooks to check.")
    List<Path> playbooks = new ArrayList<>();

    @Mixin InventoryOptions inventory;

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
        List<String> summaries = new ArrayList<>();
        for (Path p : playbooks) {
            Diagnostics mine = new Diagnostics();
            Playbook pb = PlaybookParser.parse(p, mine);
            if (pb != null && inv.isPresent()) checkPatterns(pb, inv.get(), mine);
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
            out.print(json(diags));
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

    private static String json(Diagnostics diags) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("valid", !diags.hasErrors());
        ArrayNode problems = root.putArray("problems");
        for (Problem p : diags.all()) {
            ObjectNode n = problems.addObject();
            n.put("file", p.location().file());
            n.put("line", p.location().line());
            n.put("column", p.location().column());
            n.put("severity", p.severity().name().toLowerCase());
            n.put("message", p.message());
        }
        try {
            return m.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
