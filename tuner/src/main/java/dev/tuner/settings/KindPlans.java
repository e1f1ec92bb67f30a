package dev.tuner.settings;

import java.util.ArrayList;
import java.util.List;

/** Plans derived from other plans: the inverse that undoes an applied change. */
public final class KindPlans {
    private KindPlans() {}

    /** Old values become the desired ones; files go back to their old bytes (or away, if they did not exist). */
    public static KindPlan inverse(String kind, List<Change> changes, List<FileChange> files) {
        List<Change> undo = new ArrayList<>();
        for (Change c : changes) {
            if (c.state() != ChangeState.CHANGE || c.current() == null) continue;
            undo.add(new Change(c.task(), c.kind(), c.key(), c.desired(), c.current(), null, ChangeState.CHANGE, c.cost(), "rollback", false, c.target()));
        }
        List<FileChange> undoFiles = new ArrayList<>();
        for (FileChange f : files) {
            if (f.changes()) undoFiles.add(new FileChange(f.task(), f.path(), f.after(), f.before(), f.mode(), f.currentMode()));
        }
        return new KindPlan(kind, undo, undoFiles, List.of());
    }

    public static KindPlan inverse(String kind, ApplyReport report) {
        return inverse(kind, report.changes(), report.filesWritten());
    }
}
