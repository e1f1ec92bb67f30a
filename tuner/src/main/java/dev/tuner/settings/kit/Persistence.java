package dev.tuner.settings.kit;

import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The one comparison of a setting that has a running value and a persisted one (what the host
 * will have after a reboot): in sync only when both are the wanted value. Drift reports the two
 * separately, so the change says which one is off.
 */
public final class Persistence {
    private Persistence() {}

    /** Where a setting stands. */
    public record Reading(String running, String persisted, String persistedWhere) {
        public static Reading of(String running, String persisted) {
            return new Reading(running, persisted, null);
        }
    }

    /**
     * Judges one setting. {@code cannotPersist} is non-null when the host has no way to keep the
     * value (no systemd for a boot unit): persistence is then not judged, and the reason is noted.
     *
     * @param persistedWhere "file:line" of the persisted value, named in the note; may be null
     */
    public static Change judge(int task, String kind, String key, String desired, Reading r, String cannotPersist,
                               BiPredicate<String, String> same, Cost cost, Map<String, String> target) {
        boolean runningOk = r.running() != null && same.test(r.running(), desired);
        boolean persistedOk = cannotPersist != null || r.persisted() != null && same.test(r.persisted(), desired);
        if (runningOk && persistedOk)
            return new Change(task, kind, key, r.running(), desired, r.persisted(), ChangeState.OK, cost, cannotPersist, false, target);
        List<String> why = new ArrayList<>();
        if (!runningOk) why.add("running value differs");
        if (!persistedOk) {
            why.add(r.persisted() == null ? "not persisted"
                    : "persisted as " + r.persisted() + (r.persistedWhere() == null ? "" : " (" + r.persistedWhere() + ")"));
        }
        if (cannotPersist != null) why.add(cannotPersist);
        return new Change(task, kind, key, r.running(), desired, r.persisted(), ChangeState.CHANGE, cost, String.join("; ", why),
                !persistedOk, target);
    }
}
