package dev.tuner.verify.design;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The time one host's verification may take, all its benchmarks together ({@code max_host_time}):
 * a host has its changes measured in a bounded time however many benchmarks they call for.
 *
 * <p>Handed out benchmark by benchmark, in the order they are measured: each gets an equal share of
 * what is left for the benchmarks not measured yet, and never more than its own {@code max_time}.
 * A benchmark decided early, or stopped because no verdict could fit its share (see
 * {@link Budget#stop}), leaves its unused time to the later ones; one that needs longer than its
 * share ends {@code inconclusive} at its share, and the verdict's note names it. Equal shares keep
 * the last benchmarks from being starved by the first ones.
 *
 * <p>The control design measures all its benchmarks before the change and all of them after it,
 * so its shares are fixed up front: each benchmark {@code max_host_time / N} (at most its
 * {@code max_time}), half of it for each phase.
 */
public final class HostBudget {
    public static final Duration DEFAULT = Duration.ofSeconds(100);
    /**
     * The least share, when the benchmarks before overran the host's time: the series still opens,
     * and its verdict says the budget ended it, rather than the benchmark going missing.
     */
    private static final Duration LEAST = Duration.ofSeconds(1);

    private final Duration total;
    private final int benchmarks;
    private final LongSupplier clock;
    private final long start;
    private int left;

    public HostBudget(Duration total, int benchmarks) {
        this(total, benchmarks, System::nanoTime);
    }

    HostBudget(Duration total, int benchmarks, LongSupplier clock) {
        if (total.isNegative() || total.isZero()) throw new IllegalArgumentException("max_host_time must be positive");
        this.total = total;
        this.benchmarks = Math.max(1, benchmarks);
        this.clock = clock;
        this.start = clock.getAsLong();
        this.left = this.benchmarks;
    }

    /** The budget of the next benchmark measured: an equal share of the time left, at most {@code own}'s. */
    public Budget next(Budget own) {
        Duration remaining = total.minus(Duration.ofNanos(clock.getAsLong() - start));
        Duration share = remaining.dividedBy(left);
        if (left > 1) left--;
        return capped(own, share.compareTo(LEAST) < 0 ? LEAST : share);
    }

    /** A benchmark's fixed share of the host's time (the control design): {@code max_host_time / N}, at most {@code own}'s. */
    public Budget fixed(Budget own) {
        return capped(own, total.dividedBy(benchmarks));
    }

    private Budget capped(Budget own, Duration share) {
        if (share.compareTo(own.maxTime()) >= 0) return own;
        return new Budget(own.maxRounds(), share, Budget.seconds(share) + " (its share of max_host_time " + Budget.seconds(total) + ")");
    }
}
