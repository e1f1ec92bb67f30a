package dev.tuner.settings;

/**
 * One setting on one host: what is there, what the playbook wants, and what it costs.
 * {@code persisted} is the value the host would have after a reboot (null where the kind has no
 * persistence or nothing is persisted); {@code persistDrift} says the persisted value is not the
 * wanted one, which drift reports separately from the running value.
 *
 * <p>{@code key} is what people read; {@code target} is what apply acts on, set by the kind at
 * plan time and journaled with the change (the governor's CPU list, the file and attribute a
 * template's mode change is about), so nothing is parsed back out of the key.
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
        boolean persistDrift,
        java.util.Map<String, String> target) {

    /** Target fields of a change about a file: its path, and what of it the change is ({@link #CONTENT}, or an attribute). */
    public static final String TARGET_PATH = "path";
    public static final String TARGET_ATTRIBUTE = "attribute";
    /** The attribute of a change whose values are (part of) the file's content. */
    public static final String CONTENT = "content";

    public Change {
        target = target == null ? java.util.Map.of() : java.util.Map.copyOf(target);
    }

    public Change(int task, String kind, String key, String current, String desired, String persisted,
                  ChangeState state, Cost cost, String note, boolean persistDrift) {
        this(task, kind, key, current, desired, persisted, state, cost, note, persistDrift, java.util.Map.of());
    }

    public Change(int task, String kind, String key, String current, String desired, String persisted,
                  ChangeState state, Cost cost, String note) {
        this(task, kind, key, current, desired, persisted, state, cost, note, false, java.util.Map.of());
    }

    /** The same change acting on the given target (see the class comment). */
    public Change withTarget(java.util.Map<String, String> t) {
        return new Change(task, kind, key, current, desired, persisted, state, cost, note, persistDrift, t);
    }

    /**
     * The same change, as (part of) the content of the file at {@code path} (a daemon.json key, a
     * rendered template): its values are as secret as that file's content.
     */
    public Change inContentOf(String path) {
        java.util.Map<String, String> t = new java.util.LinkedHashMap<>(target);
        t.put(TARGET_PATH, path);
        t.put(TARGET_ATTRIBUTE, CONTENT);
        return withTarget(t);
    }

    /**
     * Whether this change is (part of) the content of the file at {@code path}. A key that is the
     * path says so too: journals written before changes carried targets name a template's file so.
     */
    public boolean isContentOf(String path) {
        return path.equals(target(TARGET_PATH)) && CONTENT.equals(target(TARGET_ATTRIBUTE)) || key.equals(path);
    }

    /** One field of the target, or null. */
    public String target(String name) {
        return target.get(name);
    }

    public boolean isChange() {
        return state == ChangeState.CHANGE;
    }

    public Change withState(ChangeState s, String n) {
        return new Change(task, kind, key, current, desired, persisted, s, cost, n, persistDrift, target);
    }

    /** True when the running value is not the wanted one (whitespace and number spelling aside). */
    public boolean runningDrift() {
        return state == ChangeState.CHANGE && !Values.same(current, desired);
    }
}
