package dev.tuner.run;

import dev.tuner.journal.HostChanges;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.Values;
import dev.tuner.settings.files.HostFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a rollback does on one host, item by item, decided like a plan from the run's journal and
 * what the host holds now: a value or file already as it was before the run is left alone; one
 * that holds what the run left (or may have left) goes back to what was there first; one that
 * holds anything else was changed by someone since the run and is refused, named, unless forced.
 */
final class RestorePlan {
    enum Verdict { AS_BEFORE, RESTORE, REFUSED }

    /**
     * One value ({@code value}: current now → what was there first) or file ({@code file}: content
     * now → content before the run), with {@code why} it is refused or forced.
     */
    record Item(String kind, String name, Verdict verdict, Change value, FileChange file, String why) {
        /** How the item is shown when it is not applied (as before, refused) or could not be restored. */
        Change shown(ChangeState state, String note) {
            if (value != null) return value.withState(state, note);
            return new Change(file.task(), kind, name, null, null, null, state, Cost.LIVE, note);
        }
    }

    private final String runId;
    private final List<String> kinds;
    private final List<Item> items;

    private RestorePlan(String runId, List<String> kinds, List<Item> items) {
        this.runId = runId;
        this.kinds = kinds;
        this.items = items;
    }

    static RestorePlan judge(String runId, HostChanges changes, HostReading now, boolean force) {
        List<Item> items = new ArrayList<>();
        for (String kind : changes.kinds()) {
            Set<String> paths = new HashSet<>();
            changes.files(kind).forEach(f -> paths.add(f.path()));
            for (HostChanges.Value v : changes.values(kind)) {
                // A file's content as a value (a template's): the file itself is judged, byte for byte.
                if (paths.contains(v.key())) continue;
                items.add(value(runId, v, now.value(kind, v.key()), force));
            }
            for (HostChanges.File f : changes.files(kind)) items.add(file(runId, f, now.file(f.path()), force));
        }
        return new RestorePlan(runId, changes.kinds(), items);
    }

    private static Item value(String runId, HostChanges.Value v, HostReading.Value now, boolean force) {
        Change j = v.journaled();
        String original = v.original();
        if (!now.known()) {
            String why = "its current value cannot be read (" + now.unknown() + ")";
            if (!force) return new Item(v.kind(), v.key(), Verdict.REFUSED, restore(j, null, original, null),
                    null, "not restored: " + why + "; --force restores " + show(original));
            return new Item(v.kind(), v.key(), Verdict.RESTORE, restore(j, null, original, why + "; restored because of --force"), null, null);
        }
        String current = now.current();
        if (Values.same(current, original))
            return new Item(v.kind(), v.key(), Verdict.AS_BEFORE, restore(j, current, original, null).withState(ChangeState.OK, "as before run " + runId), null, null);
        if (now.asTheRunWanted() || v.left().stream().anyMatch(x -> Values.same(x, current)))
            return new Item(v.kind(), v.key(), Verdict.RESTORE, restore(j, current, original, null), null, null);
        List<String> left = v.left().stream().filter(x -> !Values.same(x, original)).map(RestorePlan::show).toList();
        String changed = "changed on the host since run " + runId + " (the run left " + String.join(" or ", left) + ")";
        if (!force) return new Item(v.kind(), v.key(), Verdict.REFUSED, restore(j, current, original, null), null,
                changed + "; left as it is: --force restores " + show(original));
        return new Item(v.kind(), v.key(), Verdict.RESTORE, restore(j, current, original, changed + "; restored because of --force"), null, null);
    }

    private static Item file(String runId, HostChanges.File f, ReadOutput.Entry now, boolean force) {
        FileChange j = f.journaled();
        if (now.status() == ReadOutput.Status.ERROR) {
            FileChange shown = new FileChange(j.task(), f.path(), null, f.original(), null);
            return new Item(f.kind(), f.path(), Verdict.REFUSED, null, shown, "not restored: cannot read it (" + now.text().strip() + ")");
        }
        String current = now.ok() ? now.text() : null;
        // The mode stays as the file has it: a kind that changed a mode restores it as a value of its own.
        FileChange restore = new FileChange(j.task(), f.path(), current, f.original(), null);
        if (Objects.equals(current, f.original())) return new Item(f.kind(), f.path(), Verdict.AS_BEFORE, null, restore, null);
        if (f.left().contains(current)) return new Item(f.kind(), f.path(), Verdict.RESTORE, null, restore, null);
        List<String> left = f.left().stream().filter(x -> !Objects.equals(x, f.original())).map(RestorePlan::describe).toList();
        String changed = "changed on the host since run " + runId + ": it holds " + describe(current) + ", the run left "
                + String.join(" or ", left);
        if (!force) return new Item(f.kind(), f.path(), Verdict.REFUSED, null, restore,
                changed + "; left as it is: --force restores " + (f.original() == null ? "its absence (removes it)" : "its " + describe(f.original())));
        return new Item(f.kind(), f.path(), Verdict.RESTORE, null, restore, changed + "; restored because of --force");
    }

    /** The change that puts one value back: from what the host holds now to what was there first. */
    private static Change restore(Change journaled, String current, String original, String note) {
        return new Change(journaled.task(), journaled.kind(), journaled.key(), current, original, null, ChangeState.CHANGE,
                journaled.cost(), note, false, journaled.target());
    }

    static String show(String v) {
        return v == null ? "(none)" : v.isEmpty() ? "\"\"" : v;
    }

    /** A file's content in a message: absent, or its size and the start of its SHA-256. */
    static String describe(String content) {
        if (content == null) return "no file";
        int bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        return bytes + " byte" + (bytes == 1 ? "" : "s") + " (sha256 " + HostFiles.sha256(content).substring(0, 12) + ")";
    }

    List<Item> items() {
        return items;
    }

    List<Item> refused() {
        return items.stream().filter(i -> i.verdict() == Verdict.REFUSED).toList();
    }

    boolean restoresAnything() {
        return items.stream().anyMatch(i -> i.verdict() == Verdict.RESTORE);
    }

    /** Per kind with something to restore, a plan of it; latest kind the run changed first. */
    List<KindPlan> plans() {
        List<KindPlan> out = new ArrayList<>();
        for (int k = kinds.size() - 1; k >= 0; k--) {
            String kind = kinds.get(k);
            List<Change> changes = new ArrayList<>();
            List<FileChange> files = new ArrayList<>();
            for (Item i : items) {
                if (!i.kind().equals(kind) || i.verdict() != Verdict.RESTORE) continue;
                if (i.value() != null) changes.add(i.value());
                else files.add(i.file());
            }
            if (!changes.isEmpty() || !files.isEmpty()) out.add(new KindPlan(kind, changes, files, List.of()));
        }
        return out;
    }

    /**
     * Each kind as a task of the rollback, its items in journal order, and for a kind with refused
     * items a second task of those (failed), so the recap counts what was restored and what was
     * refused apart. As planned ({@code reports} null, for --check), or as restored: each kind's
     * report, {@code failed} kinds (with why) and {@code notRestored} values (key → why) marking
     * what did not go back.
     */
    List<TaskResult> tasks(Map<String, ApplyReport> reports, Map<String, String> failed, Map<String, String> notRestored) {
        List<TaskResult> out = new ArrayList<>();
        for (String kind : kinds) {
            ApplyReport report = reports == null ? null : reports.get(kind);
            Map<String, Change> reported = new HashMap<>();
            Set<String> written = new HashSet<>();
            if (report != null) {
                report.changes().forEach(c -> reported.put(c.key(), c));
                report.filesWritten().forEach(f -> written.add(f.path()));
            }
            List<Change> changes = new ArrayList<>();
            List<FileChange> files = new ArrayList<>();
            List<Change> refused = new ArrayList<>();
            for (Item i : items) {
                if (!i.kind().equals(kind)) continue;
                switch (i.verdict()) {
                    case AS_BEFORE -> {
                        if (i.value() != null) changes.add(i.value());
                    }
                    case REFUSED -> refused.add(i.shown(ChangeState.FAILED, i.why()));
                    case RESTORE -> {
                        String fail = reports == null ? null : failed.get(kind);
                        if (fail != null) {
                            changes.add(i.shown(ChangeState.FAILED, "not restored: " + fail));
                        } else if (i.value() != null) {
                            Change c = reported.getOrDefault(i.name(), i.value());
                            String why = notRestored.get(i.name());
                            changes.add(why != null && c.state() != ChangeState.FAILED ? c.withState(ChangeState.FAILED, why) : c);
                        } else if (reports == null || written.contains(i.name())) {
                            files.add(i.file());
                        }
                    }
                }
            }
            if (!changes.isEmpty() || !files.isEmpty() || refused.isEmpty())
                out.add(new TaskResult(out.size(), "restore " + kind, kind, TaskResult.statusOf(changes, files), changes, files, null));
            if (!refused.isEmpty())
                out.add(new TaskResult(out.size(), "restore " + kind + ": refused", kind, TaskResult.Status.FAILED, refused, List.of(), null));
        }
        return out;
    }

    /** Why files were restored although someone changed them since the run (--force), one line each. */
    List<String> forcedFiles() {
        return items.stream().filter(i -> i.verdict() == Verdict.RESTORE && i.file() != null && i.why() != null)
                .map(i -> i.name() + ": " + i.why()).toList();
    }

    /** Names of the items refused, for the host's error. */
    String refusedNames() {
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        refused().forEach(i -> byKind.computeIfAbsent(i.kind(), k -> new ArrayList<>()).add(i.name()));
        List<String> parts = new ArrayList<>();
        byKind.forEach((k, names) -> parts.add(k + " " + String.join(", ", names)));
        return String.join("; ", parts);
    }

    String runId() {
        return runId;
    }
}
