package dev.tuner.cli;

import dev.tuner.diag.TunerException;
import dev.tuner.report.Documents;
import dev.tuner.report.Interruption;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "merge",
        mixinStandardHelpOptions = true,
        description = {"Combine the JSON documents of a run's slices into the report of one run.",
                "The documents come from --slice K/N --format json; the merged report covers",
                "all their hosts and exits as that run would."},
        footer = {"", "Examples:",
                "  tuner merge drift-1.json drift-2.json drift-3.json --format junit -o drift.xml",
                "  tuner merge results/drift-*.json --format prometheus \\",
                "      -o /srv/textfile/tuner.prom",
                "  tuner merge plan-*.json --format markdown > plan.md",
                "", "Documents of different commands or playbooks, and slices given twice or missing,",
                "are refused. junit and prometheus are for drift documents.",
                "", "Exit codes: those of the merged run (drift: 0 in sync, 2 drifted; plan: 2 changes",
                "pending; apply: 3 verified regression, 130 / 143 a slice stopped by SIGINT / SIGTERM),",
                "1 for an error in any slice or documents that cannot be merged."},
        sortOptions = false)
final class MergeCommand implements Callable<Integer> {
    enum Format { text, json, junit, prometheus, markdown }

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "JSON documents of 'tuner plan|apply|drift --format json', one per slice.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).", defaultValue = "text")
    Format format = Format.text;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE atomically (temp file, then rename) instead of stdout.")
    Path output;

    @Option(names = "--no-color", description = "No colours.")
    boolean noColor;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, String> documents = new LinkedHashMap<>();
        for (Path f : files) {
            try {
                if (documents.put(f.toString(), Files.readString(f, StandardCharsets.UTF_8)) != null) {
                    throw new TunerException(f + " is given twice");
                }
            } catch (IOException e) {
                throw new TunerException("cannot read " + f + ": " + e.getMessage());
            }
        }
        Documents.Merged merged;
        try {
            merged = Documents.merge(documents);
        } catch (IllegalArgumentException e) {
            throw new TunerException("cannot merge: " + e.getMessage());
        }
        boolean plain = noColor || output != null;
        String text;
        if (merged.isDrift()) {
            DriftCommand.Format f = DriftCommand.Format.valueOf(format.name());
            text = DriftCommand.render(merged.drift(), f, "", plain);
        } else {
            if (format == Format.junit || format == Format.prometheus) {
                throw new TunerException("--format " + format + " is for drift documents; these are " + merged.command()
                        + " documents: use text, json or markdown");
            }
            OutputOptions out = new OutputOptions();
            out.noColor = plain;
            out.format = OutputOptions.Format.valueOf(format.name());
            text = Rendering.render(merged.run(), out, true, merged.slices(), merged.slices().describe(), false, merged.interrupted());
        }
        if (output != null) {
            DriftCommand.writeAtomically(output, text);
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
        }
        if (merged.interrupted() != null) {
            // As the interrupted run itself said it, on stderr: the report on stdout stays the report.
            PrintWriter err = spec.commandLine().getErr();
            err.println("Interrupted (" + merged.interrupted().signal() + "): a slice stopped early. Hosts as the run left them:");
            err.print(Interruption.lines(Interruption.hostStates(merged.run(), false)));
            err.flush();
        }
        return merged.exitCode();
    }
}
