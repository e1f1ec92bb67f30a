package dev.tuner.verify;

import dev.tuner.verify.stats.Better;
import java.util.List;

/** The figures of one metric from one series of runs, in run order. */
public record MetricSamples(String metric, String unit, Better better, List<Double> values) {
    public MetricSamples {
        values = List.copyOf(values);
    }
}
