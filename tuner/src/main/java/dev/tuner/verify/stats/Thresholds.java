package dev.tuner.verify.stats;

/**
 * How sure and how large a change must be before it gets a verdict.
 *
 * @param minEffect   smallest relative change worth a verdict (0.05 = 5%), used as given
 * @param confidence  confidence level of the interval; the rank test uses alpha = 1 - confidence
 */
public record Thresholds(double minEffect, double confidence) {
    public static final Thresholds DEFAULT = new Thresholds(0.05, 0.95);

    public Thresholds {
        if (!(minEffect >= 0 && minEffect < 1)) throw new IllegalArgumentException("threshold must be in [0, 1): " + minEffect);
        if (!(confidence > 0.5 && confidence < 1)) throw new IllegalArgumentException("confidence must be in (0.5, 1): " + confidence);
    }

    public double alpha() {
        return 1 - confidence;
    }

    public Thresholds withMinEffect(double v) {
        return new Thresholds(v, confidence);
    }

    public Thresholds withConfidence(double v) {
        return new Thresholds(minEffect, v);
    }
}
