package dev.tuner.run;

/** What a run does to hosts. */
public enum Mode {
    /** Read, compare, report what would change (apply --check). */
    PLAN,
    /** Read, compare, change, read back. */
    APPLY,
    /** Read and compare running and persisted values, for scheduled checks. */
    DRIFT
}
