package dev.tuner.journal;

import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Desired;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one run did to one host, read back from the host's journal: every value and file the run
 * changed or may have changed, what was there first, and what the run may have left there.
 *
 * <p>A kind's {@code started} record followed by its {@code applied} record is a change that
 * happened as the report says. A {@code started} record without one (the process was killed, the
 * connection or the disk failed in between) is a change that may have happened in part or in
 * full: the host may hold either the value before it or the planned one. What was there first comes
 * from the {@code before} record the change's play wrote (the values and the full file contents
 * it read), else from the change itself. Runs journaled before {@code started} records existed
 * are read from their {@code applied} records alone.
 */
public final class HostChanges {
    /**
     * A value the run changed. {@code journaled} is the run's first change of it (task, cost and
     * the target the kind acts on); {@code left} the values the run may have left on the host,
     * one when it is known.
     */
    public record Value(String kind, Change journaled, String original, List<String> left) {
        public String key() {
            return journaled.key();
        }

        /** Whether the run may have left anything but what was there first. */
        boolean changed() {
            return left.stream().anyMatch(v -> !Values.same(v, original));
        }
    }

    /** A file the run wrote or may have written; contents are null for a file that does not exist. */
    public record File(String kind, FileChange journaled, String original, List<String> left) {
        public String path() {
            return journaled.path();
        }

        boolean changed() {
            return left.stream().anyMatch(c -> !Objects.equals(c, original));
        }
    }

    private final Map<String, Map<String, Value>> values = new LinkedHashMap<>();
    private final Map<String, Map<String, File>> files = new LinkedHashMap<>();
    private final List<String> kinds = new ArrayList<>();
    private final Map<String, List<Desired>> settings = new LinkedHashMap<>();

    private HostChanges() {}

    public static HostChanges of(List<JournalEvent> events) {
        HostChanges h = new HostChanges();
        // What the latest before record found, per kind: values by key, file contents by path.
        Map<String, Map<String, Change>> beforeValues = new HashMap<>();
        Map<String, Map<String, FileChange>> beforeFiles = new HashMap<>();
        Map<String, KindPlan> pending = new HashMap<>();
        for (JournalEvent e : events) {
            switch (e.event()) {
                case JournalEvent.BEFORE -> {
                    beforeValues.clear();
                    beforeFiles.clear();
                    for (KindPlan p : nonNull(e.plans())) {
                        Map<String, Change> v = beforeValues.computeIfAbsent(p.kind(), k -> new HashMap<>());
                        p.changes().forEach(c -> v.putIfAbsent(c.key(), c));
                        Map<String, FileChange> f = beforeFiles.computeIfAbsent(p.kind(), k -> new HashMap<>());
                        p.files().forEach(x -> f.putIfAbsent(x.path(), x));
                    }
                    if (e.settings() != null) e.settings().forEach((kind, wanted) -> {
                        List<Desired> known = h.settings.computeIfAbsent(kind, k -> new ArrayList<>());
                        for (Desired d : wanted) if (!known.contains(d)) known.add(d);
                    });
                }
                case JournalEvent.STARTED -> {
                    for (KindPlan p : nonNull(e.plans())) {
                        h.touch(p, beforeValues, beforeFiles);
                        pending.put(p.kind(), p);
                    }
                }
                case JournalEvent.APPLIED -> {
                    if (e.report() == null) continue;
                    KindPlan started = pending.remove(e.kind());
                    if (started == null) {
                        // Journaled before started records: what the report says it changed.
                        started = new KindPlan(e.kind(), e.report().changes(), e.report().filesWritten(), List.of());
                        h.touch(started, beforeValues, beforeFiles);
                    }
                    h.settle(started, e.report());
                }
                default -> { }
            }
        }
        return h;
    }

    /** Records that a kind's plan is (or may be) taking effect: the host may now hold its values as well. */
    private void touch(KindPlan p, Map<String, Map<String, Change>> beforeValues, Map<String, Map<String, FileChange>> beforeFiles) {
        for (Change c : p.changes()) {
            if (!c.isChange()) continue;
            Map<String, Value> byKey = values.computeIfAbsent(p.kind(), k -> new LinkedHashMap<>());
            Value v = byKey.get(c.key());
            if (v == null) {
                Change first = beforeValues.getOrDefault(p.kind(), Map.of()).get(c.key());
                String original = first != null && first.current() != null ? first.current() : c.current();
                // A value nobody could read has nothing to go back to.
                if (original == null) continue;
                v = new Value(p.kind(), c, original, List.of(original));
                kind(p.kind());
            }
            byKey.put(c.key(), new Value(v.kind(), v.journaled(), v.original(), plus(v.left(), c.desired())));
        }
        for (FileChange f : p.files()) {
            if (!f.changes()) continue;
            Map<String, File> byPath = files.computeIfAbsent(p.kind(), k -> new LinkedHashMap<>());
            File x = byPath.get(f.path());
            if (x == null) {
                FileChange first = beforeFiles.getOrDefault(p.kind(), Map.of()).get(f.path());
                String original = first != null ? first.before() : f.before();
                x = new File(p.kind(), f, original, plus(List.of(), original));
                kind(p.kind());
            }
            byPath.put(f.path(), new File(x.kind(), x.journaled(), x.original(), plus(x.left(), f.after())));
        }
    }

    /**
     * A kind's apply ended and reported: a value it changed and a file it wrote are now known to
     * hold what it set. A value it failed to set may hold either (a kind puts back what it can,
     * not always all), and a file it did not write holds what it held before.
     */
    private void settle(KindPlan started, ApplyReport report) {
        Map<String, Change> reported = new HashMap<>();
        report.changes().forEach(c -> reported.put(c.key(), c));
        Map<String, Value> byKey = values.getOrDefault(started.kind(), Map.of());
        for (Change c : started.changes()) {
            Value v = byKey.get(c.key());
            Change r = reported.get(c.key());
            if (v == null || r == null || r.state() != ChangeState.CHANGE) continue;
            byKey.put(c.key(), new Value(v.kind(), v.journaled(), v.original(), single(r.desired())));
        }
        Map<String, File> byPath = files.getOrDefault(started.kind(), Map.of());
        Map<String, FileChange> written = new HashMap<>();
        report.filesWritten().forEach(f -> written.put(f.path(), f));
        for (FileChange f : started.files()) {
            File x = byPath.get(f.path());
            if (x == null || !f.changes()) continue;
            FileChange w = written.get(f.path());
            List<String> left = w != null ? single(w.after()) : without(x.left(), f.after(), f.before());
            byPath.put(f.path(), new File(x.kind(), x.journaled(), x.original(), left));
        }
    }

    private void kind(String kind) {
        if (!kinds.contains(kind)) kinds.add(kind);
    }

    /**
     * The kinds the run changed something of, in the order it first did. A value or file the run
     * certainly left as it found it (a change the kind refused and put back, a file it did not
     * write) is no concern of a rollback: someone else may have changed it since.
     */
    public List<String> kinds() {
        return kinds.stream().filter(k -> !values(k).isEmpty() || !files(k).isEmpty()).toList();
    }

    public List<Value> values(String kind) {
        return values.getOrDefault(kind, Map.of()).values().stream().filter(Value::changed).toList();
    }

    public List<File> files(String kind) {
        return files.getOrDefault(kind, Map.of()).values().stream().filter(File::changed).toList();
    }

    /** Per kind, the settings the run's plans were read for: reading them again shows what the host holds now. */
    public Map<String, List<Desired>> settings() {
        Map<String, List<Desired>> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    public boolean isEmpty() {
        return kinds().isEmpty();
    }

    /** Whether the run started a change here at all, also one it put back itself (a host reverted after a failure). */
    public boolean touched() {
        return !kinds.isEmpty();
    }

    private static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static List<String> single(String s) {
        List<String> out = new ArrayList<>(1);
        out.add(s);
        return Collections.unmodifiableList(out);
    }

    private static List<String> plus(List<String> left, String value) {
        List<String> out = new ArrayList<>(left);
        if (!out.contains(value)) out.add(value);
        return Collections.unmodifiableList(out);
    }

    /** The content a file could hold after a kind did not write it: what it could hold before that. */
    private static List<String> without(List<String> left, String notWritten, String before) {
        List<String> out = new ArrayList<>();
        for (String s : left) if (!Objects.equals(s, notWritten) || Objects.equals(s, before)) out.add(s);
        return out.isEmpty() ? left : Collections.unmodifiableList(out);
    }
}
