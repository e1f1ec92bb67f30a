package dev.tuner.verify.stats;

import java.util.Arrays;
import java.util.List;

/** Robust location and spread: benchmark samples have outliers (a cron job, a page-cache flush), so medians, not means. */
public final class Stats {
    private Stats() {}

    public static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public static double median(double[] values) {
        return quantile(values, 0.5);
    }

    /**
     * Quantile with linear interpolation between order statistics (R's type 7, numpy's default),
     * so the figures match what a user gets from a spreadsheet or numpy.
     */
    public static double quantile(double[] values, double p) {
        if (values.length == 0) return Double.NaN;
        double[] s = values.clone();
        Arrays.sort(s);
        return sortedQuantile(s, p);
    }

    static double sortedQuantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Median absolute deviation from the median (unscaled: in the metric's own unit). */
    public static double mad(double[] values) {
        if (values.length == 0) return Double.NaN;
        double m = median(values);
        double[] dev = new double[values.length];
        for (int i = 0; i < values.length; i++) dev[i] = Math.abs(values[i] - m);
        return median(dev);
    }

    /** Interquartile range, Q3 - Q1. */
    public static double iqr(double[] values) {
        if (values.length == 0) return Double.NaN;
        return quantile(values, 0.75) - quantile(values, 0.25);
    }
}
