package dev.tuner.settings;

/**
 * One setting on one host: what is there, what the playbook wants, and what it costs.
 * {@code persisted} is the value the host would have after a reboot (null where the kind has no
 * persistence or it was not read).
 */
public record Change(
        int task,
        String kind,
        String key,
        String current,
        String desired,
        String persisted,
        ChangeState state,
        Cost cost,
        String note) {

    public boolean isChange() {
        return state == ChangeState.CHANGE;
    }

    public Change withState(ChangeState s, String n) {
        return new Change(task, kind, key, current, desired, persisted, s, cost, n);
    }

    /** True when the running value differs (as opposed to only the persisted one). */
    public boolean runtimeDiffers(ValueComparator cmp) {
        return current == null || !cmp.same(current, desired);
    }

    /** How a kind compares values (e.g. whitespace-insensitive for sysctl). */
    @FunctionalInterface
    public interface ValueComparator {
        boolean same(String a, String b);
    }
}
