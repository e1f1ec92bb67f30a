package dev.tuner.settings;

import java.util.List;

/**
 * What an apply did on one host for one kind: each change with its final state (OK = applied and
 * read back, FAILED = refused with the host's answer in the note) and the files actually written.
 */
public record ApplyReport(List<Change> changes, List<FileChange> filesWritten, List<String> notes) {
    public ApplyReport {
        changes = List.copyOf(changes);
        filesWritten = List.copyOf(filesWritten);
        notes = List.copyOf(notes);
    }

    public boolean failed() {
        return changes.stream().anyMatch(c -> c.state() == ChangeState.FAILED);
    }
}
