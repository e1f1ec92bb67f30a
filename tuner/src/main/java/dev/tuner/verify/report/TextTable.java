package dev.tuner.verify.report;

import dev.tuner.verify.VerificationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The console table of verification results:
 * <pre>
 * HOST   BENCHMARK  METRIC          BEFORE                AFTER                 Δ%      95% CI            p      VERDICT
 * db1    cpu        events_per_sec  2894.9 ±12.1 events/s 3480.2 ±9.8 events/s  +20.2%  [+19.1%, +21.0%]  0.008  improved
 * </pre>
 * Before and after are median ± MAD; Δ% and the interval are relative to the before median. Notes
 * (why there is no verdict, what was probably seen below the threshold) follow the table, numbered.
 * When a result comes from paired rounds, a DESIGN column says which design and how many rounds
 * its verdict rests on; Δ% and the interval are then those of the median paired ratio.
 */
public final class TextTable {
    private TextTable() {}

    public static String render(List<VerificationResult> results) {
        if (results.isEmpty()) return "(no verification results)\n";
        String ciHeader = String.format(Locale.ROOT, "%.0f%% CI", results.get(0).confidence() * 100);
        List<String[]> rows = new ArrayList<>();
        boolean paired = results.stream().anyMatch(r -> r.design().paired());
        rows.add(withDesign(paired, new String[] {"HOST", "BENCHMARK", "METRIC", "BEFORE", "AFTER", "Δ%", ciHeader, "p", "VERDICT"}, "DESIGN"));
        List<String> notes = new ArrayList<>();
        for (VerificationResult r : results) {
            String verdict = r.verdict().label();
            if (r.note() != null && !r.note().isEmpty()) {
                notes.add(r.note());
                verdict += " [" + notes.size() + "]";
            }
            rows.add(withDesign(paired, new String[] {
                r.host(), r.benchmark(), r.metric(),
                side(r.beforeMedian(), r.beforeMad(), r.unit()),
                side(r.afterMedian(), r.afterMad(), r.unit()),
                r.changePercent() == null ? "-" : pct(r.changePercent()),
                r.ciLow() == null ? "-" : "[" + pct((r.ciLow() - 1) * 100) + ", " + pct((r.ciHigh() - 1) * 100) + "]",
                r.pValue() == null ? "-" : p(r.pValue()),
                verdict}, design(r)));
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) line.append(" ".repeat(width[i] - row[i].length() + 2));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        for (int i = 0; i < notes.size(); i++) sb.append('[').append(i + 1).append("] ").append(notes.get(i)).append('\n');
        return sb.toString();
    }

    /** The row with {@code design} before its last cell (the verdict), when the table has that column. */
    private static String[] withDesign(boolean paired, String[] row, String design) {
        if (!paired) return row;
        String[] out = java.util.Arrays.copyOf(row, row.length + 1);
        out[row.length - 1] = design;
        out[row.length] = row[row.length - 1];
        return out;
    }

    /** "interleaved, 8 rounds", "control, 12 rounds", "before-after, 5 runs". */
    public static String design(VerificationResult r) {
        if (r.verdict() == dev.tuner.verify.stats.Verdict.NOT_MEASURED) return "-";
        String unit = r.design().paired() ? " round" : " run";
        return r.design().label() + ", " + r.rounds() + unit + (r.rounds() == 1 ? "" : "s");
    }

    static String side(Double median, Double mad, String unit) {
        if (median == null) return "-";
        return num(median) + (mad == null ? "" : " ±" + num(mad)) + (unit == null || unit.isEmpty() ? "" : " " + unit);
    }

    /** Four significant digits, no exponent for the ranges benchmarks produce. */
    static String num(double v) {
        double a = Math.abs(v);
        if (a == 0) return "0";
        if (a >= 1000) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.2f", v);
        if (a >= 0.001) return String.format(Locale.ROOT, "%.3f", v);
        return String.format(Locale.ROOT, "%.2e", v);
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%+.1f%%", v);
    }

    static String p(double v) {
        return v < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", v);
    }
}
