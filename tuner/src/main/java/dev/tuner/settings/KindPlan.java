package dev.tuner.settings;

import java.util.List;

/** A kind's plan for one host: every setting's state and the files it would write. */
public record KindPlan(String kind, List<Change> changes, List<FileChange> files, List<String> notes) {
    public KindPlan {
        changes = List.copyOf(changes);
        files = List.copyOf(files);
        notes = List.copyOf(notes);
    }

    public boolean hasChanges() {
        return changes.stream().anyMatch(Change::isChange) || files.stream().anyMatch(FileChange::changes);
    }
}
