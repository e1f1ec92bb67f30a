package dev.tuner.run;

import dev.tuner.verify.BenchmarkCatalog;
import dev.tuner.verify.ProgressListener;
import dev.tuner.verify.stats.Thresholds;

/**
 * How apply measures: benchmarks before and after each host's changes, repetitions, the verdict's
 * threshold and confidence, and whether a regression is rolled back whatever the playbook says.
 */
public record VerifyOptions(
        boolean enabled,
        BenchmarkCatalog catalog,
        int runs,
        int warmup,
        Thresholds thresholds,
        boolean rollbackOnRegression,
        ProgressListener progress) {

    public static final VerifyOptions OFF = new VerifyOptions(false, null, 5, 1, Thresholds.DEFAULT, false, ProgressListener.NONE);

    public VerifyOptions {
        if (enabled && catalog == null) throw new IllegalArgumentException("verification needs a benchmark catalog");
        if (runs < 2) throw new IllegalArgumentException("runs must be at least 2");
        if (warmup < 0) throw new IllegalArgumentException("warmup must not be negative");
    }
}
