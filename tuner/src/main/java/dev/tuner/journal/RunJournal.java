package dev.tuner.journal;

import dev.tuner.diag.TunerException;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Desired;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.Secrets;
import dev.tuner.verify.VerificationResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The journal of one run being written. Thread-safe: hosts are worked on in parallel. Every record
 * is on disk (fsynced) when its method returns, so a record announcing a change is there before
 * the change; a record that cannot be written throws, and the caller must not make the change.
 *
 * <p>Except in a rollback's journal ({@link Journal#begin}): there a record that cannot be written
 * is collected ({@link #unrecorded}) and the rollback goes on, because it only moves hosts back to
 * what the rolled-back run's records already hold.
 */
public final class RunJournal {
    private final Path runDir;
    private final boolean collectsErrors;
    /** Per host (the run's own file under {@link #RUN}), why records could not be written, each reason once. Guarded by this. */
    private final Map<String, Set<String>> unrecorded = new LinkedHashMap<>();
    private RunSummary summary;

    private static final String RUN = "";

    RunJournal(Path runDir, RunSummary summary, boolean collectsErrors) {
        this.runDir = runDir;
        this.summary = summary;
        this.collectsErrors = collectsErrors;
    }

    public String id() {
        return summary.id();
    }

    /**
     * Records the state before a host is changed: the plans, with every current value and file
     * content, and per kind the settings they were read for (what a rollback reads again).
     */
    public void before(String host, String play, List<KindPlan> plans, Map<String, List<Desired>> settings) {
        before(host, play, plans, settings, Secrets.NONE);
    }

    /** The same, with what output must hide of it, so a rollback of this run hides it too. */
    public void before(String host, String play, List<KindPlan> plans, Map<String, List<Desired>> settings, Secrets hidden) {
        append(host, new JournalEvent(JournalEvent.BEFORE, now(), host, play, plans, null, null, null, null, null, null, null, settings, null,
                hidden.isEmpty() ? null : hidden.hashes()));
    }

    /** Announces that one kind's plan is about to be applied. */
    public void started(String host, String play, KindPlan plan) {
        append(host, new JournalEvent(JournalEvent.STARTED, now(), host, play, List.of(plan), plan.kind(), null, null, null, null, null, null, null, null));
    }

    public void applied(String host, String play, String kind, ApplyReport report) {
        append(host, new JournalEvent(JournalEvent.APPLIED, now(), host, play, null, kind, report, null, null, null, null, null, null, null));
    }

    public void state(String host, String play, String status, String message) {
        append(host, new JournalEvent(JournalEvent.STATE, now(), host, play, null, null, null, status, message, null, null, null, null, null));
    }

    /** The verdicts of the benchmarks measured before and after a host's changes. */
    public void verified(String host, String play, List<VerificationResult> results) {
        append(host, new JournalEvent(JournalEvent.VERIFIED, now(), host, play, null, null, null, null, null, results, null, null, null, null));
    }

    /** How a host's changes are measured, before the first round: design, seed, controls, budget. */
    public void design(String host, String play, Map<String, Object> detail) {
        append(host, new JournalEvent(JournalEvent.DESIGN, now(), host, play, null, null, null, null, null, null, null, null, null, detail));
    }

    /** A round is about to put the host in its state {@code to} ("before" or "after" the changes). */
    public void toggle(String host, String play, String benchmark, int round, String to) {
        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        detail.put("benchmark", benchmark);
        detail.put("round", round);
        detail.put("to", to);
        append(host, new JournalEvent(JournalEvent.TOGGLE, now(), host, play, null, null, null, null, null, null, null, null, null, detail));
    }

    /** Service actions handlers took on a host, so a rollback can take them again on the restored files. */
    public void services(String host, String play, List<String> actions) {
        append(host, new JournalEvent(JournalEvent.SERVICES, now(), host, play, null, null, null, null, null, null, null, actions, null, null));
    }

    /** Benchmark figures measured alone (tuner bench): a baseline to compare later runs with. */
    public void bench(String host, List<Map<String, Object>> samples) {
        append(host, new JournalEvent(JournalEvent.BENCH, now(), host, null, null, null, null, null, null, null, samples, null, null, null));
    }

    /**
     * Writes how the run ended: a {@link RunSummary} status ({@code ok}, {@code failed},
     * {@code regressed}, {@code interrupted}) and its counts (hosts, changed, failed, unreachable).
     * The first end written stays: a run interrupted by a signal while its main thread was also
     * finishing is recorded once, by whichever came first. Returns whether this call wrote it.
     */
    public synchronized boolean finish(String status, Map<String, Object> counts) {
        if (summary.finished() != null) return false;
        summary = summary.finished(now(), status, counts);
        writeSummary(summary);
        return true;
    }

    synchronized void writeSummary(RunSummary s) {
        Path f = runDir.resolve("run.json");
        Path tmp = runDir.resolve(".run.json.tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, JournalFiles.PRIVATE_FILE);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(Journal.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            failed(RUN, "cannot write journal " + f + ": " + e.getMessage());
        }
    }

    /**
     * Why records of this host, or of the run as a whole, could not be written, each reason once,
     * the run's first; empty when all were. Only a rollback's journal collects them: any other
     * throws at the first.
     */
    public synchronized List<String> unrecorded(String host) {
        Set<String> out = new LinkedHashSet<>(unrecorded.getOrDefault(RUN, Set.of()));
        out.addAll(unrecorded.getOrDefault(host, Set.of()));
        return List.copyOf(out);
    }

    /** A rollback's journal whose run directory could not even be created: nothing of it will be written. */
    synchronized void unrecordable(String why) {
        failed(RUN, why);
    }

    private synchronized void failed(String host, String why) {
        // Not being able to journal an apply means not being able to undo it: the caller must stop.
        if (!collectsErrors) throw new TunerException(why);
        unrecorded.computeIfAbsent(host, h -> new LinkedHashSet<>()).add(why);
    }

    private void append(String host, JournalEvent event) {
        Path f = runDir.resolve("hosts").resolve(safeName(host) + ".jsonl");
        try {
            byte[] line = (Journal.JSON.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (this) {
                // One writer per file (this run, under this lock): writing at the end is appending.
                try (FileChannel ch = FileChannel.open(f, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                        JournalFiles.PRIVATE_FILE)) {
                    ch.position(ch.size());
                    // A record an earlier write left cut short (a full disk) must not swallow this one.
                    if (endsMidLine(ch)) ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
                    ByteBuffer buf = ByteBuffer.wrap(line);
                    while (buf.hasRemaining()) ch.write(buf);
                    ch.force(true);
                }
            }
        } catch (IOException e) {
            failed(host, "cannot write journal " + f + ": " + e.getMessage());
        }
    }

    private static boolean endsMidLine(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) return false;
        ByteBuffer last = ByteBuffer.allocate(1);
        ch.read(last, size - 1);
        return last.get(0) != '\n';
    }

    private static String now() {
        return Instant.now().toString();
    }

    static String safeName(String host) {
        return host.replaceAll("[^A-Za-z0-9_.:@-]", "_");
    }
}
