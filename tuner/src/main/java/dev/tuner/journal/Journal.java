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
import java.util.ArrayList;
import java.util.Comparator;
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
 * announces, so a crash mid-apply loses nothing.
 */
public final class Journal {
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path dir;

    public Journal(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Starts a journaled run. */
    public RunJournal begin(String command, String playbook, List<String> inventories, String rollbackOf) {
        Instant now = Instant.now();
        String id = ID_TIME.format(now) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        Path runDir = dir.resolve("runs").resolve(id);
        try {
            Files.createDirectories(runDir.resolve("hosts"));
        } catch (IOException e) {
            throw new TunerException("cannot create journal directory " + runDir + ": " + e.getMessage());
        }
        RunSummary s = new RunSummary(id, command, playbook, inventories, now.toString(), null, "running", rollbackOf, null);
        RunJournal rj = new RunJournal(runDir, s);
        rj.writeSummary(s);
        return rj;
    }

    /** Every run, oldest first. */
    public List<RunSummary> list() {
        Path runs = dir.resolve("runs");
        if (!Files.isDirectory(runs)) return List.of();
        List<RunSummary> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(runs)) {
            for (Path p : s.sorted().toList()) {
                Path f = p.resolve("run.json");
                if (Files.isRegularFile(f)) out.add(JSON.readValue(f.toFile(), RunSummary.class));
            }
        } catch (IOException e) {
            throw new TunerException("cannot read journal " + runs + ": " + e.getMessage());
        }
        out.sort(Comparator.comparing(RunSummary::id));
        return out;
    }

    public Optional<RunSummary> find(String id) {
        return list().stream().filter(r -> r.id().equals(id) || r.id().endsWith(id)).reduce((a, b) -> {
            throw new TunerException("run id '" + id + "' is ambiguous: " + a.id() + ", " + b.id());
        });
    }

    /** The events of every host of a run, in the order they were written. */
    public Map<String, List<JournalEvent>> events(String id) {
        Path hosts = dir.resolve("runs").resolve(id).resolve("hosts");
        Map<String, List<JournalEvent>> out = new LinkedHashMap<>();
        if (!Files.isDirectory(hosts)) return out;
        try (Stream<Path> s = Files.list(hosts)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".jsonl")) continue;
                List<JournalEvent> events = new ArrayList<>();
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) continue;
                    try {
                        events.add(JSON.readValue(line, JournalEvent.class));
                    } catch (IOException e) {
                        // A line cut short by a crash: everything before it is intact and still counts.
                        break;
                    }
                }
                out.put(events.isEmpty() ? name.substring(0, name.length() - 6) : events.get(0).host(), events);
            }
        } catch (IOException e) {
            throw new TunerException("cannot read journal of run " + id + ": " + e.getMessage());
        }
        return out;
    }
}
