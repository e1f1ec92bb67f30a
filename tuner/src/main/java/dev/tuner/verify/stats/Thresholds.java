package dev.tuner.verify.stats;

/**
 * How sure and how large a change must be before it gets a verdict.
 *
 * @param minEffect   smallest relative change worth a verdict (0.05 = 5%)
 * @param confidence  confidence level of the interval; the rank test uses alpha = 1 - confidence
 * @param resamples   bootstrap resamples
 * @param seed        bootstrap seed, fixed so results are reproducible
 */
public record Thresholds(double minEffect, double confidence, int resamples, long seed) {
    public static final Thresholds DEFAULT = new Thresholds(0.05, 0.95, 2000, 20240601L);

    public Thresholds {
        if (!(minEffect >= 0 && minEffect < 1)) throw new IllegalArgumentException("threshold must be in [0, 1): " + minEffect);
        if (!(confidence > 0.5 && confidence < 1)) throw new IllegalArgumentException("confidence must be in (0.5, 1): " + confidence);
        if (resamples < 100) throw new IllegalArgumentException("at least 100 bootstrap resamples: " + resamples);
    }

    public double alpha() {
        return 1 - confidence;
    }

    public Thresholds withMinEffect(double v) {
        return new Thresholds(v, confidence, resamples, seed);
    }

    public Thresholds withConfidence(double v) {
        return new Thresholds(minEffect, v, resamples, seed);
    }
}
