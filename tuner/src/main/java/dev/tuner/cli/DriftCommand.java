package dev.tuner.cli;

import dev.tuner.diag.TunerException;
import dev.tuner.report.DriftReport;
import dev.tuner.run.Mode;
import dev.tuner.run.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "drift",
        mixinStandardHelpOptions = true,
        description = {"Check that hosts still match the playbook, running and persisted values alike. Only reads.",
                "Made for cron, systemd timers and CI schedules."},
        footer = {"", "Examples:",
                "  tuner drift playbooks/db-host.yml -i prod",
                "  tuner drift playbooks/db-host.yml -i prod --format prometheus --output /var/lib/node_exporter/textfile/tuner.prom",
                "  tuner drift playbooks/db-host.yml -i prod --format junit --output drift.xml",
                "", "Exit codes: 0 in sync, 2 drifted, 1 error (unreachable hosts are errors and are listed)."},
        sortOptions = false)
final class DriftCommand implements Callable<Integer> {
    enum Format { text, json, junit, prometheus }

    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "Playbook file.")
    Path playbook;

    @Option(names = "--format", paramLabel = "FORMAT", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).", defaultValue = "text")
    Format format = Format.text;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE atomically (temp file, then rename) instead of stdout.")
    Path output;

    @Option(names = "--no-color", description = "No colours.")
    boolean noColor;

    @Mixin InventoryOptions inventory;
    @Mixin RunCommandOptions run;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PlaybookRun.Prepared p = PlaybookRun.prepare(playbook, inventory, run);
        RunResult result = PlaybookRun.execute(p, inventory, run, Mode.DRIFT, "drift", Progress.forTerminal());
        DriftReport report = new DriftReport(result, run.showSecrets);
        OutputOptions style = new OutputOptions();
        style.noColor = noColor || output != null;
        String text = switch (format) {
            case text -> report.text(style.style());
            case json -> report.json();
            case junit -> report.junit();
            case prometheus -> report.prometheus();
        };
        if (output != null) {
            writeAtomically(output, text);
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
        }
        return report.exitCode();
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
