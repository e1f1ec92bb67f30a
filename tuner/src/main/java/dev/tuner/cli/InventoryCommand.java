package dev.tuner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tuner.diag.TunerException;
import dev.tuner.inventory.Host;
import dev.tuner.inventory.Inventory;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inventory",
        mixinStandardHelpOptions = true,
        description = {"Show an inventory as Ansible does: --list (ansible-inventory --list JSON), --graph, --host.",
                "With --limit, only the hosts it selects."},
        footer = {"", "Examples:",
                "  tuner inventory -i prod --list",
                "  tuner inventory -i prod --graph db --vars",
                "  tuner inventory -i prod --host db01.example.com",
                "  tuner inventory -i prod --list --limit 'db:&dc1'"},
        sortOptions = false)
final class InventoryCommand implements Callable<Integer> {
    static final class Action {
        @Option(names = "--list", description = "All hosts, groups and variables as JSON, in ansible-inventory's shape.")
        boolean list;

        @Option(names = "--graph", description = "The group tree (optionally from GROUP).")
        boolean graph;

        @Option(names = "--host", paramLabel = "HOST", description = "One host's variables as JSON.")
        String host;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    @Parameters(paramLabel = "GROUP", arity = "0..1", description = "With --graph: the group to start from (default all).")
    String group;

    @Option(names = "--vars", description = "With --graph: show variables too.")
    boolean vars;

    @Option(names = "--playbook-dir", paramLabel = "DIR",
            description = "Also the group_vars/ and host_vars/ of this playbook directory, as a run of a playbook there sees them.")
    java.nio.file.Path playbookDir;

    @Mixin InventoryOptions inventory;
    @Mixin Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Inventory inv = inventory.load(playbookDir).limitedTo(inventory.limit);
        PrintWriter out = spec.commandLine().getOut();
        if (action.list) {
            out.print(inv.toListJson());
        } else if (action.graph) {
            out.print(inv.toGraph(group == null ? "all" : group, vars));
        } else {
            Host h = inv.host(action.host).orElseThrow(() -> new TunerException("host '" + action.host + "' is not in the inventory"
                    + (inventory.limit != null ? " selected by --limit " + inventory.limit : "")));
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(h.vars()));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
