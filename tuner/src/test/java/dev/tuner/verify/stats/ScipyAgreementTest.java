package dev.tuner.verify.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.testing.Scipy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The p-value, ratio and interval of every comparison against scipy (tuner/src/test/scripts/
 * mann_whitney_reference.py says how it computes each), on random samples of the sizes benchmarks
 * produce, most of them with tied figures as rounded benchmark output has, and on a few large ones
 * where the normal approximation takes over.
 */
class ScipyAgreementTest {
    private static final Thresholds T = Thresholds.DEFAULT;

    record Case(String name, double[] before, double[] after) {}

    static List<Case> cases() {
        Random rnd = new Random(20260101);
        List<Case> out = new ArrayList<>();
        out.add(new Case("ties within one side, 3 a side", new double[] {100, 100, 101}, new double[] {200, 201, 202}));
        out.add(new Case("every figure the same", new double[] {5, 5, 5}, new double[] {5, 5, 5}));
        out.add(new Case("ties across the sides", new double[] {10, 11, 12, 12, 13}, new double[] {12, 12, 13, 14, 15}));
        out.add(new Case("one side constant", new double[] {7, 7, 7, 7}, new double[] {6, 7, 8, 9, 10}));
        // Small samples rounded to whole units: ties everywhere, with no effect, a small and a clear one.
        for (int i = 0; i < 24; i++) {
            int m = 3 + rnd.nextInt(6), n = 3 + rnd.nextInt(6);
            double sd = 1 + rnd.nextInt(3);
            double shift = new double[] {1, 1.02, 1.05, 1.2}[i % 4];
            out.add(new Case("rounded " + m + "+" + n + " ×" + shift, sample(rnd, m, 100, sd, 1, true), sample(rnd, n, 100, sd, shift, true)));
        }
        // Small samples of continuous figures: no ties.
        for (int i = 0; i < 12; i++) {
            int m = 3 + rnd.nextInt(6), n = 3 + rnd.nextInt(6);
            double shift = new double[] {1, 1.03, 1.1}[i % 3];
            out.add(new Case("continuous " + m + "+" + n + " ×" + shift, sample(rnd, m, 1000, 30, 1, false), sample(rnd, n, 1000, 30, shift, false)));
        }
        // Medium samples without ties: still exact.
        for (int i = 0; i < 4; i++) {
            int m = 10 + rnd.nextInt(16), n = 10 + rnd.nextInt(16);
            out.add(new Case("continuous " + m + "+" + n, sample(rnd, m, 50, 2, 1, false), sample(rnd, n, 50, 2, 1.02, false)));
        }
        // Large samples, tied and not: the normal approximation with tie and continuity corrections.
        for (int i = 0; i < 8; i++) {
            int m = 50 + rnd.nextInt(30), n = 45 + rnd.nextInt(35);
            boolean round = i % 2 == 0;
            out.add(new Case((round ? "rounded " : "continuous ") + m + "+" + n,
                    sample(rnd, m, 200, 4, 1, round), sample(rnd, n, 200, 4, 1 + 0.01 * (i % 4), round)));
        }
        return out;
    }

    private static double[] sample(Random rnd, int size, double center, double sd, double factor, boolean round) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            double x = (center + sd * rnd.nextGaussian()) * factor;
            v[i] = round ? Math.round(x) : x;
        }
        return v;
    }

    @Test
    void pValuesRatiosAndIntervalsAgreeWithScipy() throws Exception {
        List<Case> cases = cases();
        List<Map<String, Object>> input = new ArrayList<>();
        for (Case c : cases) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("before", c.before());
            m.put("after", c.after());
            m.put("confidence", T.confidence());
            input.add(m);
        }
        JsonNode expected = Scipy.run("mann_whitney_reference.py", input);
        assertThat(expected).hasSize(cases.size()).hasSizeGreaterThanOrEqualTo(50);

        SoftAssertions soft = new SoftAssertions();
        int tied = 0;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            JsonNode e = expected.get(i);
            Comparison got = Comparison.of(c.before(), c.after(), Better.HIGHER, T);
            String what = c.name() + " " + Arrays.toString(c.before()) + " vs " + Arrays.toString(c.after()) + " (scipy: " + e + ")";
            if (!e.get("p_method").asText().equals("exact")) tied++;
            // Exact p-values agree to rounding; the normal approximation to the last digits of erfc.
            double pTolerance = e.get("p_method").asText().equals("asymptotic") ? 1e-7 : 1e-10;
            soft.assertThat(got.pValue()).as("p of " + what).isCloseTo(e.get("p").asDouble(), org.assertj.core.data.Offset.offset(pTolerance));
            soft.assertThat(got.ratio()).as("ratio of " + what).isCloseTo(e.get("ratio").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
            soft.assertThat(got.ciLow()).as("interval low of " + what).isCloseTo(e.get("ci_low").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
            soft.assertThat(got.ciHigh()).as("interval high of " + what).isCloseTo(e.get("ci_high").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
        }
        soft.assertAll();
        assertThat(tied).as("cases with ties or large enough for the approximation").isGreaterThanOrEqualTo(25);
    }
}
