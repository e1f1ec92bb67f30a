package dev.tuner.verify.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The planned looks keep their promise under optional stopping: stopping at the first look whose
 * interval is decisive, the chance of a false verdict stays within 1 − confidence. Simulated
 * series of paired log ratios (heavy-tailed noise, as a busy machine gives); a false verdict is an
 * interval that excludes the true median ratio at any look (threshold 0, the strictest case).
 */
class LooksTest {
    private static final int SERIES = 2500;
    private static final double ALPHA = 0.05;

    @Test
    void theScheduleIsPlannedFromTheBudgetAlone() {
        assertThat(Looks.plan(24, ALPHA).rounds()).containsExactly(8, 16, 24);
        assertThat(Looks.plan(24, ALPHA).alphaEach()).isEqualTo(ALPHA / 3);
        assertThat(Looks.plan(16, ALPHA).rounds()).containsExactly(8, 16);
        assertThat(Looks.plan(12, ALPHA).rounds()).containsExactly(8, 12);
        assertThat(Looks.plan(9, ALPHA).rounds()).as("a grid look within 2 rounds of the last is dropped for it").containsExactly(9);
        assertThat(Looks.plan(6, ALPHA).rounds()).containsExactly(6);
        assertThat(Looks.plan(5, ALPHA).rounds()).as("5 pairs can never give a 95% interval").isEmpty();
        assertThat(Looks.fewestRounds(ALPHA)).isEqualTo(6);
        assertThat(Looks.fewestRounds(0.01)).isEqualTo(8);
    }

    @Test
    void stoppingAtTheFirstDecisiveLookKeepsTheErrorRate() {
        Looks looks = Looks.plan(24, ALPHA);
        double noEffect = falseRate(0, looks.rounds(), looks.alphaEach());
        double tenPercentSlower = falseRate(Math.log(0.9), looks.rounds(), looks.alphaEach());
        assertThat(noEffect).as("false verdicts with no effect").isLessThanOrEqualTo(ALPHA + 0.01);
        assertThat(tenPercentSlower).as("intervals missing a true 10% slowdown").isLessThanOrEqualTo(ALPHA + 0.01);
    }

    @Test
    void aLookWhenTheBudgetEndsSpendsTheSharesOfTheLooksNotReached() {
        Looks looks = Looks.plan(24, ALPHA);
        assertThat(looks.rounds()).containsExactly(8, 16, 24);
        assertThat(looks.unreached(21)).as("only the look at 24 is left").isCloseTo(ALPHA / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(looks.unreached(13)).isCloseTo(2 * ALPHA / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(looks.unreached(24)).isZero();
    }

    @Test
    void stoppingWhenTheClockSaysAndLookingThenKeepsTheErrorRate() {
        // The budget ends the rounds at a point that depends on the clock, not on the figures: here
        // uniformly anywhere from round 9 to 23. The looks planned before it are taken at their
        // shares, and one more look at the rounds done spends the shares of the looks not reached.
        Looks looks = Looks.plan(24, ALPHA);
        SplittableRandom clock = new SplittableRandom(7);
        SplittableRandom rnd = new SplittableRandom(42);
        int wrong = 0;
        for (int s = 0; s < SERIES; s++) {
            int end = 9 + clock.nextInt(15);
            double[] ratios = new double[end];
            for (int i = 0; i < end; i++) ratios[i] = Math.exp(0.02 * studentT3(rnd));
            boolean missed = false;
            for (int n : looks.rounds()) {
                if (n > end) break;
                missed = excludesOne(java.util.Arrays.copyOf(ratios, n), looks.alphaEach());
                if (missed) break;
            }
            if (!missed && !looks.isLook(end)) missed = excludesOne(ratios, looks.unreached(end));
            if (missed) wrong++;
        }
        assertThat((double) wrong / SERIES).as("false verdicts with no effect").isLessThanOrEqualTo(ALPHA + 0.01);
    }

    private static boolean excludesOne(double[] ratios, double alpha) {
        PairedComparison c = PairedComparison.of(ratios, Better.HIGHER, 0, alpha);
        return c.low() != null && (c.low() > 1 || c.high() < 1);
    }

    @Test
    void lookingAfterEveryRoundAtTheFullLevelWouldNot() {
        // The reason for planned looks: the same series judged after every round from 6 on, each
        // time at the full 95%, find a false verdict far more often than 5%.
        double naive = falseRate(0, List.of(6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16), ALPHA);
        assertThat(naive).isGreaterThan(2 * ALPHA);
    }

    /** Share of series in which some look's interval excludes the true median exp(mu). */
    private static double falseRate(double mu, List<Integer> looks, double alphaEach) {
        SplittableRandom rnd = new SplittableRandom(42);
        int maxRounds = looks.get(looks.size() - 1);
        int wrong = 0;
        for (int s = 0; s < SERIES; s++) {
            double[] ratios = new double[maxRounds];
            for (int i = 0; i < maxRounds; i++) ratios[i] = Math.exp(mu + 0.02 * studentT3(rnd));
            for (int n : looks) {
                PairedComparison c = PairedComparison.of(java.util.Arrays.copyOf(ratios, n), Better.HIGHER, 0, alphaEach);
                if (c.low() != null && (c.low() > Math.exp(mu) || c.high() < Math.exp(mu))) {
                    wrong++;
                    break;
                }
            }
        }
        return (double) wrong / SERIES;
    }

    /** Student's t with 3 degrees of freedom: symmetric, with the heavy tails of a shared machine's outliers. */
    private static double studentT3(SplittableRandom rnd) {
        double z = rnd.nextGaussian();
        double chi = 0;
        for (int i = 0; i < 3; i++) {
            double g = rnd.nextGaussian();
            chi += g * g;
        }
        return z / Math.sqrt(chi / 3);
    }
}
