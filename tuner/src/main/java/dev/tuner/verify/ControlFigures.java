package dev.tuner.verify;

import java.util.List;

/**
 * A control host's figures of one metric, measured at the same moments as the changed host's:
 * {@code before[i]} beside the changed host's before run of round i, {@code after[i]} beside its
 * after run. The control itself was not changed in between.
 */
public record ControlFigures(String host, List<Double> before, List<Double> after) {
    public ControlFigures {
        before = List.copyOf(before);
        after = List.copyOf(after);
    }
}
