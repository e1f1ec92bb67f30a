package dev.tuner.run;

import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.KindPlans;
import java.util.List;

/** The plan that undoes an applied change: old values become the desired ones, files go back to their old bytes. */
public final class Inverse {
    private Inverse() {}

    public static KindPlan of(String kind, ApplyReport report) {
        return KindPlans.inverse(kind, report);
    }

    public static KindPlan of(String kind, List<Change> changes, List<FileChange> files) {
        return KindPlans.inverse(kind, changes, files);
    }
}
