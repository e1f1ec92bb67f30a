package dev.tuner.cli;

import dev.tuner.diag.TunerException;
import dev.tuner.playbook.PlaybookParser;
import dev.tuner.report.DriftReport;
import dev.tuner.run.Mode;
import dev.tuner.run.RunResult;
import dev.tuner.slice.SliceSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "drift",
        mixinStandardHelpOptions = true,
        description = {"Check that hosts still match the playbook, running and persisted values alike.",
                "Only reads. Made for cron, systemd timers and CI schedules."},
        footer = {"", "Examples:",
                "  tuner drift playbooks/db-host.yml -i prod",
                "  tuner drift playbooks/db-host.yml -i prod --format prometheus \\",
                "      --output /var/lib/node_exporter/textfile/tuner.prom",
                "  tuner drift playbooks/db-host.yml -i prod --format junit --output drift.xml",
                "  tuner drift playbooks/db-host.yml -i prod --slice 2/3 \\",
                "      --format json -o drift-2.json",
                "", "Exit codes: 0 in sync, 2 drifted, 1 error (unreachable hosts are errors and are listed)."},
        sortOptions = false)
final class DriftCommand implements Callable<Integer> {
    enum Format { text, json, junit, prometheus, markdown }

    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "Playbook file.")
    Path playbook;

    @Option(names = "--format", paramLabel = "FORMAT", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).", defaultValue = "text")
    Format format = Format.text;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE atomically (temp file, then rename) instead of stdout.")
    Path output;

    @Option(names = "--no-color", description = "No colours.")
    boolean noColor;

    @Mixin InventoryOptions inventory;
    @Mixin Verbosity verbosity;
    @Mixin RunCommandOptions run;
    @Mixin SliceOptions slicing;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PlaybookRun.Prepared p;
        RunResult result;
        try {
            p = PlaybookRun.prepare(playbook, inventory, run, slicing);
            result = PlaybookRun.execute(p, inventory, run, Mode.DRIFT, "drift", Progress.forTerminal());
        } catch (RuntimeException e) {
            replaceStaleMetrics();
            throw e;
        }
        DriftReport report = new DriftReport(result, p.slices(), run.showSecrets);
        String headline = p.sliceLine(inventory.limit);
        String text = render(report, format, headline, noColor || output != null);
        if (output != null) {
            writeAtomically(output, text);
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
        }
        return report.exitCode();
    }

    static String render(DriftReport report, Format format, String headline, boolean noColor) {
        OutputOptions style = new OutputOptions();
        style.noColor = noColor;
        return switch (format) {
            case text -> report.text(style.style(), headline);
            case json -> report.json();
            case junit -> report.junit();
            case prometheus -> report.prometheus();
            case markdown -> report.markdown(headline);
        };
    }

    /**
     * A check that could not run (the playbook or inventory cannot be read, ...) still replaces the
     * textfile the collector reads, with series saying so: a stale file would keep saying "in sync".
     */
    private void replaceStaleMetrics() {
        if (format != Format.prometheus || output == null) return;
        SliceSet slices;
        try {
            slices = SliceSet.of(slicing.choice().slice());
        } catch (RuntimeException unknown) {
            slices = SliceSet.WHOLE;
        }
        String previous = null;
        try {
            if (Files.isRegularFile(output)) previous = Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException unreadable) {
            // Without the last file the hosts are not known: the check's own series still say it failed.
        }
        writeAtomically(output, DriftReport.failedCheckPrometheus(PlaybookParser.displayName(playbook), slices, Instant.now(), previous));
    }

    /** Readers such as node_exporter never see a half-written file: temp file in the same directory, then rename. */
    static void writeAtomically(Path file, String text) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                tmp.toFile().setReadable(true, false);
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new TunerException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
