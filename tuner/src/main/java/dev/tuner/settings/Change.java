package dev.tuner.settings;

/**
 * One setting on one host: what is there, what the playbook wants, and what it costs.
 * {@code persisted} is the value the host would have after a reboot (null where the kind has no
 * persistence or nothing is persisted); {@code persistDrift} says the persisted value is not the
 * wanted one, which drift reports separately from the running value.
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
        String note,
        boolean persistDrift) {

    public Change(int task, String kind, String key, String current, String desired, String persisted,
                  ChangeState state, Cost cost, String note) {
        this(task, kind, key, current, desired, persisted, state, cost, note, false);
    }

    public boolean isChange() {
        return state == ChangeState.CHANGE;
    }

    public Change withState(ChangeState s, String n) {
        return new Change(task, kind, key, current, desired, persisted, s, cost, n, persistDrift);
    }

    /** True when the running value is not the wanted one (whitespace and number spelling aside). */
    public boolean runningDrift() {
        return state == ChangeState.CHANGE && !Values.same(current, desired);
    }
}
