package dev.tuner.verify.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * When a series of paired rounds may stop, planned before the first round: the rounds after
 * which the data are looked at, and the error rate each look may spend.
 *
 * <h2>Why looks are planned</h2>
 * Looking after every round and stopping at the first interval that clears the threshold would
 * find one by chance far more often than 1 − confidence: each look is another chance to be
 * fooled. Here the total error rate alpha = 1 − confidence is split evenly over a few looks
 * fixed in advance (Bonferroni alpha spending), and each look's interval is built at its share.
 * Whatever the data do, the chance that ANY look's interval misses the true median ratio is at
 * most the sum of the shares, alpha; so a verdict taken at whichever look is decisive — or the
 * budget running out first — keeps that error rate. The intervals of the looks together are a
 * confidence sequence at level 1 − alpha.
 *
 * <h2>The schedule</h2>
 * Looks after round {@value #FIRST}, then every {@value #EVERY} rounds, and at {@code maxRounds}
 * (a grid look within 2 rounds of it is dropped for it). Fewer than {@value #FIRST} rounds: one
 * look at the end. A look whose share cannot give any interval with that few pairs is dropped and
 * its share goes to the others. Every look costs a share, so few looks leave each a wider one and
 * the last interval a narrower width: with the default 24 rounds, looks at 8, 16 and 24 find a
 * 10% slowdown in noisy rounds (a spread of 7% in the log ratios) about 91% of the time, against
 * 87% with looks every 4 rounds, while a quiet host still stops at round 8.
 *
 * <h2>When the time budget ends the rounds first</h2>
 * Rounds stop at {@code max_time} too, often between two looks. The shares of the looks not
 * reached are then spent on one look at the rounds done ({@link #unreached}): the sum of the
 * shares spent still stays within alpha, and when that look happens depends on the clock, not on
 * the figures, so the promise above holds, and the rounds measured since the last look count.
 */
public record Looks(List<Integer> rounds, double alphaEach) {
    public static final int FIRST = 8;
    public static final int EVERY = 8;

    public Looks {
        rounds = List.copyOf(rounds);
    }

    /** The looks for at most {@code maxRounds} rounds at total error rate {@code alpha}; empty when no look can decide. */
    public static Looks plan(int maxRounds, double alpha) {
        List<Integer> grid = new ArrayList<>();
        for (int r = FIRST; r < maxRounds - 2; r += EVERY) grid.add(r);
        grid.add(maxRounds);
        List<Integer> feasible = grid.stream().filter(r -> r >= SignedRank.fewestPairs(alpha / grid.size())).toList();
        if (feasible.isEmpty()) return new Looks(List.of(), alpha);
        return new Looks(feasible, alpha / feasible.size());
    }

    /** The smallest {@code maxRounds} whose plan has a look that can decide at total error rate {@code alpha}. */
    public static int fewestRounds(double alpha) {
        int m = 1;
        while (plan(m, alpha).rounds().isEmpty()) m++;
        return m;
    }

    /**
     * The error rate of the planned looks after round {@code done}, none of which will be taken
     * when the rounds end there: what a look at the rounds done may spend (0 when none is left).
     */
    public double unreached(int done) {
        return alphaEach * rounds.stream().filter(r -> r > done).count();
    }

    public boolean isLook(int round) {
        return rounds.contains(round);
    }

    /** "rounds 8, 16" */
    public String describe() {
        return (rounds.size() == 1 ? "round " : "rounds ") + String.join(", ", rounds.stream().map(String::valueOf).toList());
    }
}
