package dev.tuner.verify.design;

import java.util.SplittableRandom;

/**
 * Which state each round measures first, drawn from a seed. The order is random so that nothing
 * the machine does in step with the rounds (a cron job every minute, a cache that warms between
 * the two runs of a round) can favour one state: a round's second run is the changed state as
 * often as the first. The seed is journaled, so the orders can be drawn again.
 */
public final class RoundOrder {
    private final long seed;
    private final SplittableRandom random;

    public RoundOrder(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    /** Whether the next round measures the changed state first. Rounds draw in turn, across benchmarks. */
    public boolean nextAfterFirst() {
        return random.nextBoolean();
    }
}
