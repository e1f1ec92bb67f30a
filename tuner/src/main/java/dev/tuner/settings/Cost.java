package dev.tuner.settings;

/** What a change costs the host, shown in plans so a reviewer knows what an apply will disturb. */
public enum Cost {
    /** Nothing to do. */
    NONE("none"),
    /** Takes effect at once without disturbing anything. */
    LIVE("live"),
    /** A service re-reads its configuration (e.g. SIGHUP). */
    RELOAD("reload"),
    /** A service restarts. */
    RESTART("restart"),
    /** The VM must be powered off and on. */
    POWER_CYCLE("power-cycle"),
    /** Takes effect at the next power-on or boot only. */
    NEXT_BOOT("next-boot");

    private final String label;

    Cost(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
