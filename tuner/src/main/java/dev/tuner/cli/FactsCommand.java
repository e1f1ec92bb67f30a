package dev.tuner.cli;

import dev.tuner.diag.TunerException;
import dev.tuner.facts.FactGatherer;
import dev.tuner.inventory.Host;
import dev.tuner.inventory.Inventory;
import dev.tuner.report.FactsDocument;
import dev.tuner.run.HostErrors;
import dev.tuner.run.HostFork;
import dev.tuner.run.Target;
import dev.tuner.slice.SliceSet;
import dev.tuner.transport.Connection;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "facts",
        mixinStandardHelpOptions = true,
        description = {"Gather facts of hosts: kernel, distribution, CPUs, memory, virtualization and more.",
                "Also cpufreq and container runtimes. Playbooks use them as facts.*",
                "(e.g. when: facts.virtualization.type == \"vmware\")."},
        footer = {"", "Examples:",
                "  tuner facts -i local",
                "  tuner facts db -i prod --format json",
                "  tuner facts -i prod --slice 2/3 --format json"},
        sortOptions = false)
final class FactsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATTERN", arity = "0..1", description = "Hosts (default all).")
    String pattern = "all";

    @Mixin InventoryOptions inventory;
    @Mixin SliceOptions slicing;
    @Mixin OutputOptions output;

    @Option(names = {"-f", "--forks"}, paramLabel = "N", defaultValue = "10", description = "Hosts in parallel (default: ${DEFAULT-VALUE}).")
    int forks = 10;

    @Option(names = "--accept-new-host-keys", description = "Trust and record host keys not yet known.")
    boolean acceptNewHostKeys;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Inventory inv = inventory.load();
        List<Host> hosts = inv.select(pattern, inventory.limit);
        if (hosts.isEmpty()) throw new TunerException("pattern '" + pattern + "' selects no host");
        String headline = slicing.headline(hosts.size(), slicing.select(hosts, Host::name).size());
        hosts = slicing.select(hosts, Host::name);
        Function<Target, Connection> opener = ConnectionOpener.create(acceptNewHostKeys);
        List<HostFacts> gathered = HostFork.run(hosts, forks, h -> {
            try (Connection c = opener.apply(PlaybookRun.target(h))) {
                return new HostFacts(FactGatherer.gather(c), null);
            }
        }, (h, e) -> new HostFacts(Map.of(), e), f -> { });
        boolean failed = gathered.stream().anyMatch(f -> f.error() != null);
        PrintWriter out = spec.commandLine().getOut();
        if (output.format == OutputOptions.Format.json) {
            List<FactsDocument.HostFacts> doc = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) {
                HostFacts f = gathered.get(i);
                doc.add(new FactsDocument.HostFacts(hosts.get(i).name(), f.facts(), f.error() == null ? null : HostErrors.label(f.error()),
                        f.error() == null ? null : f.error().getMessage()));
            }
            out.print(FactsDocument.render(doc, SliceSet.of(slicing.current())));
        } else {
            if (!headline.isEmpty()) out.println(output.style().bold(headline));
            for (int i = 0; i < hosts.size(); i++) {
                HostFacts f = gathered.get(i);
                out.println(output.style().bold(hosts.get(i).name()));
                flatten("  ", "", f.error() == null ? f.facts() : Map.of(HostErrors.label(f.error()), f.error().getMessage()), out);
            }
        }
        out.flush();
        return failed ? ExitCodes.ERROR : ExitCodes.OK;
    }

    /** One host's facts, or the error that kept them from being gathered. */
    private record HostFacts(Map<String, Object> facts, TunerException error) {}

    private static void flatten(String indent, String prefix, Object value, PrintWriter out) {
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> flatten(indent, prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
        } else {
            out.println(indent + prefix + " = " + (value instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : value));
        }
    }
}
