package dev.tuner.verify.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.testing.SciPy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The signed-rank test, its interval and the Hodges–Lehmann estimate against SciPy: the exact
 * p-value of {@code scipy.stats.wilcoxon}, the p-value with ties from enumerating every sign flip
 * of {@code scipy.stats.rankdata}'s mean ranks, and the interval as the shifts scipy's exact test
 * does not reject, and whether any interval exists at a level from {@code scipy.stats.binomtest}.
 * Data: log paired ratios as rounds give them, 5 to 20 pairs, with and without an
 * effect, plus tied and zero differences as integer-valued benchmarks give.
 */
class SignedRankTest {
    private static final double[] ALPHAS = {0.05, 0.025, 0.05 / 3};

    static List<double[]> cases() {
        List<double[]> out = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(20240611);
        for (int n : new int[] {5, 6, 7, 8, 9, 10, 12, 16}) {
            for (double shift : new double[] {0, 0.03, -0.1}) {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) d[i] = shift + rnd.nextGaussian() * 0.02;
                out.add(d);
            }
        }
        // Integer-valued figures: tied magnitudes and zero differences.
        out.add(new double[] {1, 1, -2, 3, 0, 4, -1, 2});
        out.add(new double[] {2, 2, 2, -2, 1, 0, 0, 3, 3, -1});
        out.add(new double[] {0, 0, 0});
        return out;
    }

    @Test
    void pValuesIntervalsAndEstimatesAgreeWithScipy() throws Exception {
        List<double[]> cases = cases();
        List<Map<String, Object>> input = new ArrayList<>();
        for (double[] d : cases) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("d", d);
            c.put("alphas", ALPHAS);
            input.add(c);
        }
        JsonNode scipy = SciPy.run("paired_stats.py", Map.of("cases", input));

        int exact = 0, flips = 0, intervals = 0;
        for (int i = 0; i < cases.size(); i++) {
            double[] d = cases.get(i);
            JsonNode s = scipy.get(i);
            String what = "case " + i + " " + java.util.Arrays.toString(d);
            double p = SignedRank.pValue(d);
            if (!s.get("p_exact").isNull()) {
                assertThat(p).as("p of %s (scipy.stats.wilcoxon exact)", what).isCloseTo(s.get("p_exact").asDouble(), within(1e-12));
                exact++;
            }
            if (!s.get("p_flips").isNull()) {
                assertThat(p).as("p of %s (all sign flips of the mean ranks)", what).isCloseTo(s.get("p_flips").asDouble(), within(1e-12));
                flips++;
            }
            if (d.length > 0 && s.has("hl")) {
                assertThat(SignedRank.hodgesLehmann(d)).as("HL of %s", what).isCloseTo(s.get("hl").asDouble(), within(1e-12));
            }
            for (int a = 0; a < ALPHAS.length; a++) {
                assertThat(SignedRank.interval(d, ALPHAS[a]) != null).as("an interval exists at alpha %s for %s", ALPHAS[a], what)
                        .isEqualTo(s.get("widest").get(a).asBoolean());
                JsonNode expected = s.get("intervals").get(a);
                if (expected.isNull() && s.get("p_exact").isNull()) continue;
                Interval got = SignedRank.interval(d, ALPHAS[a]);
                if (expected.isNull()) {
                    assertThat(got).as("no interval at alpha %s for %s", ALPHAS[a], what).isNull();
                } else {
                    assertThat(got).as("interval at alpha %s for %s", ALPHAS[a], what).isNotNull();
                    assertThat(got.low()).as("low at alpha %s for %s", ALPHAS[a], what).isCloseTo(expected.get(0).asDouble(), within(1e-12));
                    assertThat(got.high()).as("high at alpha %s for %s", ALPHAS[a], what).isCloseTo(expected.get(1).asDouble(), within(1e-12));
                    intervals++;
                }
            }
        }
        assertThat(exact).as("cases compared with scipy's exact test").isGreaterThanOrEqualTo(24);
        assertThat(flips).as("cases compared by enumeration, ties included").isGreaterThanOrEqualTo(24);
        assertThat(intervals).as("intervals compared").isGreaterThanOrEqualTo(50);
    }

    @Test
    void fewerPairsThanAnIntervalNeedsGiveNone() {
        // [min, max] of n differences misses the centre with probability 2 / 2^n: 0.0625 for 5, 0.03125 for 6.
        assertThat(SignedRank.fewestPairs(0.05)).isEqualTo(6);
        assertThat(SignedRank.interval(new double[] {1, 2, 3, 4, 5}, 0.05)).isNull();
        assertThat(SignedRank.interval(new double[] {1, 2, 3, 4, 5, 6}, 0.05)).isEqualTo(new Interval(1, 6));
    }
}
