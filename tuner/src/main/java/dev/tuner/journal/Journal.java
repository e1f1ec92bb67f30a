package dev.tuner.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tuner.diag.TunerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The local record of what every apply changed and what was there before, so any run can be
 * listed and rolled back. Layout: {@code DIR/runs/ID/run.json} and one append-only
 * {@code DIR/runs/ID/hosts/HOST.jsonl} per host, each line flushed to disk before the change it
 * announces, so a crash mid-apply loses nothing. Directories are 0700 and files 0600.
 */
public final class Journal {
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** The events of a run per host, in the order they were written, and what could not be read. */
    public record RunEvents(Map<String, List<JournalEvent>> hosts, List<String> warnings) {
        public RunEvents {
            warnings = List.copyOf(warnings);
        }
    }

    private final Path dir;

    public Journal(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    private Path runs() {
        return dir.resolve("runs");
    }

    /**
     * Starts a journaled run, recording this process so a run that vanishes without an end is known
     * as interrupted. A journal that cannot be written (a full disk) stops any run here, before it
     * touches a host, except a rollback ({@code rollbackOf} set): it only moves hosts back to what
     * this journal already holds of the run it undoes, so it goes on and its journal collects what
     * it could not write ({@link RunJournal#unrecorded}). Putting hosts back matters more than the
     * record that it happened, which a later rollback of the same run writes once it can.
     */
    public RunJournal begin(String command, String playbook, List<String> inventories, String rollbackOf) {
        Instant now = Instant.now();
        String id = ID_TIME.format(now) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        Path runDir = runs().resolve(id);
        ProcessHandle self = ProcessHandle.current();
        String processStarted = self.info().startInstant().map(Instant::toString).orElse(null);
        RunSummary s = new RunSummary(id, command, playbook, inventories, now.toString(), null, RunSummary.RUNNING, rollbackOf, null,
                self.pid(), processStarted, null);
        RunJournal rj = new RunJournal(runDir, s, rollbackOf != null);
        try {
            JournalFiles.privateDirs(dir, runs());
            JournalFiles.privateDirs(dir, runDir.resolve("hosts"));
        } catch (TunerException e) {
            rj.unrecordable(e.getMessage());
            return rj;
        }
        rj.writeSummary(s);
        return rj;
    }

    /**
     * Every run, by start time, each with its status now: {@code interrupted} for a run without an
     * end whose process is gone, {@code rolled back} for one whose every changed host a rollback
     * restored (see {@link #rollbacks}).
     */
    public List<RunSummary> list() {
        List<RunSummary> stored = stored();
        Map<String, Map<String, String>> covered = new HashMap<>();
        List<RunSummary> out = new ArrayList<>();
        for (RunSummary r : stored) {
            String status = r.status();
            if (RunSummary.RUNNING.equals(status) && r.finished() == null && !alive(r)) status = RunSummary.INTERRUPTED;
            String by = null;
            if (stored.stream().anyMatch(x -> r.id().equals(x.rollbackOf()))) {
                Map<String, String> hosts = rollbacks(r.id(), stored, covered);
                List<String> changed = changedHosts(r.id());
                if (!changed.isEmpty() && hosts.keySet().containsAll(changed)) {
                    status = RunSummary.ROLLED_BACK;
                    by = String.join(", ", new java.util.LinkedHashSet<>(changed.stream().map(hosts::get).toList()));
                }
            }
            out.add(r.withStatus(status, by));
        }
        return out;
    }

    /** The run with this id or unique id suffix. */
    public Optional<RunSummary> find(String id) {
        return list().stream().filter(r -> r.id().equals(id) || r.id().endsWith(id)).reduce((a, b) -> {
            throw new TunerException("run id '" + id + "' is ambiguous: " + a.id() + ", " + b.id());
        });
    }

    /**
     * The hosts of a run that a rollback restored completely, each with the id of that rollback:
     * a rollback of {@code id} whose journal says the host ended {@code ok}, unless that rollback
     * was itself rolled back on the host (which brings the run's changes back).
     */
    public Map<String, String> rollbacks(String id) {
        return rollbacks(id, stored(), new HashMap<>());
    }

    private Map<String, String> rollbacks(String id, List<RunSummary> all, Map<String, Map<String, String>> memo) {
        Map<String, String> known = memo.get(id);
        if (known != null) return known;
        memo.put(id, Map.of());
        Map<String, String> out = new LinkedHashMap<>();
        for (RunSummary r : all) {
            if (!id.equals(r.rollbackOf())) continue;
            Map<String, String> undone = rollbacks(r.id(), all, memo);
            read(r.id()).hosts().forEach((host, events) -> {
                if (restored(events) && !undone.containsKey(host)) out.put(host, r.id());
            });
        }
        memo.put(id, out);
        return out;
    }

    /** A rollback's host journal ends with an ok state: everything restored or found as before. */
    private static boolean restored(List<JournalEvent> events) {
        String last = null;
        for (JournalEvent e : events) if (JournalEvent.STATE.equals(e.event())) last = e.status();
        return JournalEvent.STATE_OK.equals(last);
    }

    /**
     * The hosts a run left something changed on (or may have: a change started and not known to
     * have ended); a host it reverted itself after a failure is not one of them.
     */
    public List<String> changedHosts(String id) {
        List<String> out = new ArrayList<>();
        read(id).hosts().forEach((host, events) -> {
            if (!HostChanges.of(events).isEmpty()) out.add(host);
        });
        return out;
    }

    /** The hosts a run started changing at all, also those it put back itself. */
    public List<String> touchedHosts(String id) {
        List<String> out = new ArrayList<>();
        read(id).hosts().forEach((host, events) -> {
            if (HostChanges.of(events).touched()) out.add(host);
        });
        return out;
    }

    /** The runs as their run.json says, by start time (runs of the same second by id). */
    private List<RunSummary> stored() {
        if (!Files.isDirectory(runs())) return List.of();
        List<RunSummary> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(runs())) {
            for (Path p : s.sorted().toList()) {
                Path f = p.resolve("run.json");
                if (Files.isRegularFile(f)) out.add(JSON.readValue(f.toFile(), RunSummary.class));
            }
        } catch (IOException e) {
            throw new TunerException("cannot read journal " + runs() + ": " + e.getMessage());
        }
        out.sort(Comparator.comparing((RunSummary r) -> startedAt(r)).thenComparing(RunSummary::id));
        return out;
    }

    private static Instant startedAt(RunSummary r) {
        try {
            return Instant.parse(r.started());
        } catch (DateTimeParseException | NullPointerException e) {
            return Instant.EPOCH;
        }
    }

    /** Whether the process that began a run still runs (the same process: pid and start time). */
    private static boolean alive(RunSummary r) {
        if (r.pid() == null) return false;
        Optional<ProcessHandle> p = ProcessHandle.of(r.pid());
        if (p.isEmpty() || !p.get().isAlive()) return false;
        if (r.processStarted() == null) return true;
        // A pid the system gave to another process since started at another time (to the second: clock ticks are rounded).
        Instant recorded = Instant.parse(r.processStarted());
        return p.get().info().startInstant().map(s -> Math.abs(s.getEpochSecond() - recorded.getEpochSecond()) <= 1).orElse(true);
    }

    /** The events of every host of a run, in the order they were written. */
    public Map<String, List<JournalEvent>> events(String id) {
        return read(id).hosts();
    }

    /**
     * The events of every host of a run. A record cut short (a crash or a full disk while it was
     * written) is left out with a warning naming its file and line; the records before and after
     * it count.
     */
    public RunEvents read(String id) {
        Path hosts = runs().resolve(id).resolve("hosts");
        Map<String, List<JournalEvent>> out = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        if (!Files.isDirectory(hosts)) return new RunEvents(out, warnings);
        try (Stream<Path> s = Files.list(hosts)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".jsonl")) continue;
                List<JournalEvent> events = new ArrayList<>();
                String[] lines = new String(Files.readAllBytes(p), StandardCharsets.UTF_8).split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    String line = lines[i];
                    if (line.isBlank()) continue;
                    try {
                        events.add(JSON.readValue(line, JournalEvent.class));
                    } catch (IOException e) {
                        warnings.add(p + ":" + (i + 1) + ": a journal record cut short (" + line.getBytes(StandardCharsets.UTF_8).length
                                + " bytes, not a whole record) is ignored; the records around it are used");
                    }
                }
                out.put(events.isEmpty() ? name.substring(0, name.length() - 6) : events.get(0).host(), events);
            }
        } catch (IOException e) {
            throw new TunerException("cannot read journal of run " + id + ": " + e.getMessage());
        }
        return new RunEvents(out, warnings);
    }
}
