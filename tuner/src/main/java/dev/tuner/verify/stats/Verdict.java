package dev.tuner.verify.stats;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The outcome of comparing one metric before and after a change. {@link #NOT_MEASURED} is for a
 * comparison that could not be made (benchmark skipped or failed on one side, too few samples):
 * it is kept apart from {@link #NO_SIGNIFICANT_CHANGE} so nobody reads "we could not tell" as
 * "we measured and nothing changed".
 *
 * <p>Paired designs (rounds) end in one of four: {@link #IMPROVED} or {@link #REGRESSED} (the
 * interval is wholly beyond the threshold), {@link #UNCHANGED} (wholly inside it: any effect is
 * smaller than the threshold) or {@link #INCONCLUSIVE} (the budget of rounds or time ran out
 * before the interval was decisive either way).
 */
public enum Verdict {
    IMPROVED("improved"),
    NO_SIGNIFICANT_CHANGE("no significant change"),
    REGRESSED("regressed"),
    NOT_MEASURED("not measured"),
    UNCHANGED("unchanged"),
    INCONCLUSIVE("inconclusive");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
