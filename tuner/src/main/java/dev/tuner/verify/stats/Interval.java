package dev.tuner.verify.stats;

/** A closed interval [low, high], here a confidence interval of a ratio. */
public record Interval(double low, double high) {
    public boolean contains(double x) {
        return low <= x && x <= high;
    }
}
