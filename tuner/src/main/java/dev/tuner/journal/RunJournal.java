package dev.tuner.journal;

import dev.tuner.diag.TunerException;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.Secrets;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import dev.tuner.verify.VerificationResult;
import java.util.List;
import java.util.Map;

/** The journal of one run being written. Thread-safe: hosts are worked on in parallel. */
public final class RunJournal {
    private final Path runDir;
    private RunSummary summary;

    RunJournal(Path runDir, RunSummary summary) {
        this.runDir = runDir;
        this.summary = summary;
    }

    public String id() {
        return summary.id();
    }

    /** Records the state before a host is changed; returns only once it is on disk. */
    public void before(String host, String play, List<KindPlan> plans) {
        before(host, play, plans, Secrets.NONE);
    }

    /** The same, with what output must hide of it, so a rollback of this run hides it too. */
    public void before(String host, String play, List<KindPlan> plans, Secrets hidden) {
        append(host, new JournalEvent(JournalEvent.BEFORE, Instant.now().toString(), host, play, plans, null, null, null, null, null, null, null,
                hidden.isEmpty() ? null : hidden.hashes()));
    }

    public void applied(String host, String play, String kind, ApplyReport report) {
        append(host, new JournalEvent(JournalEvent.APPLIED, Instant.now().toString(), host, play, null, kind, report, null, null, null, null, null));
    }

    public void state(String host, String play, String status, String message) {
        append(host, new JournalEvent(JournalEvent.STATE, Instant.now().toString(), host, play, null, null, null, status, message, null, null, null));
    }

    /** The verdicts of the benchmarks measured before and after a host's changes. */
    public void verified(String host, String play, List<VerificationResult> results) {
        append(host, new JournalEvent(JournalEvent.VERIFIED, Instant.now().toString(), host, play, null, null, null, null, null, results, null, null));
    }

    /** Service actions handlers took on a host, so a rollback can take them again on the restored files. */
    public void services(String host, String play, List<String> actions) {
        append(host, new JournalEvent(JournalEvent.SERVICES, Instant.now().toString(), host, play, null, null, null, null, null, null, null, actions));
    }

    /** Benchmark figures measured alone (tuner bench): a baseline to compare later runs with. */
    public void bench(String host, List<Map<String, Object>> samples) {
        append(host, new JournalEvent(JournalEvent.BENCH, Instant.now().toString(), host, null, null, null, null, null, null, null, samples, null));
    }

    public synchronized void finish(String status, Map<String, Object> counts) {
        summary = new RunSummary(summary.id(), summary.command(), summary.playbook(), summary.inventories(), summary.started(),
                Instant.now().toString(), status, summary.rollbackOf(), counts);
        writeSummary(summary);
    }

    synchronized void writeSummary(RunSummary s) {
        Path f = runDir.resolve("run.json");
        Path tmp = runDir.resolve(".run.json.tmp");
        try {
            Files.write(tmp, Journal.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TunerException("cannot write journal " + f + ": " + e.getMessage());
        }
    }

    private void append(String host, JournalEvent event) {
        Path f = runDir.resolve("hosts").resolve(safeName(host) + ".jsonl");
        try {
            byte[] line = (Journal.JSON.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (this) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    ch.write(java.nio.ByteBuffer.wrap(line));
                    ch.force(true);
                }
            }
        } catch (IOException e) {
            // Not being able to journal means not being able to undo: the caller must stop.
            throw new TunerException("cannot write journal " + f + ": " + e.getMessage());
        }
    }

    static String safeName(String host) {
        return host.replaceAll("[^A-Za-z0-9_.:@-]", "_");
    }
}
