package dev.tuner.run;

import dev.tuner.transport.StopRequest;
import dev.tuner.verify.BenchmarkCatalog;
import dev.tuner.verify.ProgressListener;
import dev.tuner.verify.stats.Thresholds;

/**
 * How apply measures: benchmarks before and after each host's changes, repetitions, the verdict's
 * threshold and confidence, whether a regression is rolled back whatever the playbook says, and
 * the stop request that cuts a measurement short.
 */
public record VerifyOptions(
        boolean enabled,
        BenchmarkCatalog catalog,
        int runs,
        int warmup,
        Thresholds thresholds,
        boolean rollbackOnRegression,
        ProgressListener progress,
        StopRequest stop) {

    public static final VerifyOptions OFF = new VerifyOptions(false, null, 5, 1, Thresholds.DEFAULT, false, ProgressListener.NONE);

    public VerifyOptions {
        if (enabled && catalog == null) throw new IllegalArgumentException("verification needs a benchmark catalog");
        if (runs < 2) throw new IllegalArgumentException("runs must be at least 2");
        if (warmup < 0) throw new IllegalArgumentException("warmup must not be negative");
        if (stop == null) stop = new StopRequest();
    }

    public VerifyOptions(boolean enabled, BenchmarkCatalog catalog, int runs, int warmup, Thresholds thresholds, boolean rollbackOnRegression,
                         ProgressListener progress) {
        this(enabled, catalog, runs, warmup, thresholds, rollbackOnRegression, progress, null);
    }

    /** The same options, measuring under {@code stop}. */
    public VerifyOptions stoppedBy(StopRequest stop) {
        return new VerifyOptions(enabled, catalog, runs, warmup, thresholds, rollbackOnRegression, progress, stop);
    }
}
