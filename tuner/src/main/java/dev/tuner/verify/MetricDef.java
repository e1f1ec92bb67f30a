package dev.tuner.verify;

import dev.tuner.verify.stats.Better;

/**
 * One figure a benchmark produces: how to find it in the output, its unit, and which way is good.
 * The extracted number is multiplied by {@code scale} (fio reports bytes/s; we show MB/s).
 */
public record MetricDef(String name, Extractor extractor, double scale, String unit, Better better, String description) {
    /** The metric's value in {@code output}, scaled; throws {@link Extractor.ParseFailure} with a readable reason. */
    public double extract(String output) {
        return extractor.extract(output) * scale;
    }
}
