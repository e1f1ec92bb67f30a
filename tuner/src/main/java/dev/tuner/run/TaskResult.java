package dev.tuner.run;

import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.FileChange;
import java.util.List;

/**
 * One task on one host: its settings' states, the files it touches, or why it was skipped or
 * failed as a whole (a template error, a failed apply).
 */
public record TaskResult(
        int task,
        String name,
        String kind,
        Status status,
        List<Change> changes,
        List<FileChange> files,
        String message) {

    public enum Status { OK, CHANGED, SKIPPED, FAILED }

    static Status statusOf(List<Change> changes, List<FileChange> files) {
        if (changes.stream().anyMatch(c -> c.state() == ChangeState.FAILED)) return Status.FAILED;
        if (changes.stream().anyMatch(c -> c.state() == ChangeState.CHANGE) || files.stream().anyMatch(FileChange::changes))
            return Status.CHANGED;
        if (!changes.isEmpty() && changes.stream().allMatch(c -> c.state() == ChangeState.UNSUPPORTED)) return Status.SKIPPED;
        return Status.OK;
    }
}
