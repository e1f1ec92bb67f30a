package dev.tuner.settings;

/** Where one setting stands on one host. */
public enum ChangeState {
    /** Running (and persisted, where the kind persists) value matches. */
    OK,
    /** Differs and will be changed by apply. */
    CHANGE,
    /** The host cannot have this setting (e.g. no cpufreq); reported, not a failure. */
    UNSUPPORTED,
    /** The setting cannot be read or is invalid for this host (unknown key, bad value). */
    FAILED
}
