package dev.tuner.run;

import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.KindPlan;
import java.util.ArrayList;
import java.util.List;

/** The plan that undoes an applied change: old values become the desired ones, files go back to their old bytes. */
public final class Inverse {
    private Inverse() {}

    public static KindPlan of(String kind, ApplyReport report) {
        return of(kind, report.changes(), report.filesWritten());
    }

    public static KindPlan of(String kind, List<Change> changes, List<FileChange> files) {
        List<Change> undo = new ArrayList<>();
        for (Change c : changes) {
            if (c.state() != ChangeState.CHANGE || c.current() == null) continue;
            undo.add(new Change(c.task(), c.kind(), c.key(), c.desired(), c.current(), null, ChangeState.CHANGE, c.cost(), "rollback"));
        }
        List<FileChange> undoFiles = new ArrayList<>();
        for (FileChange f : files) {
            if (f.changes()) undoFiles.add(new FileChange(f.task(), f.path(), f.after(), f.before(), f.mode()));
        }
        return new KindPlan(kind, undo, undoFiles, List.of());
    }
}
