package dev.tuner.verify.design;

import java.time.Duration;

/**
 * How long one benchmark's rounds may go on for one host: at most {@code maxRounds} rounds and
 * {@code maxTime} (set-up, warm-up, toggles and runs included). A round is begun only when the
 * rounds so far, at their average pace, leave time for it; so the budget is kept, and a round is
 * never cut short.
 *
 * @param limit what {@code maxTime} is, for the reader of a verdict's note: "max_time 60s", or a
 *              share of the host's time (see {@link HostBudget})
 */
public record Budget(int maxRounds, Duration maxTime, String limit) {
    public static final int DEFAULT_MAX_ROUNDS = 24;
    public static final Duration DEFAULT_MAX_TIME = Duration.ofSeconds(60);

    public Budget {
        if (maxRounds < 1) throw new IllegalArgumentException("max_rounds must be at least 1");
        if (maxTime.isNegative() || maxTime.isZero()) throw new IllegalArgumentException("max_time must be positive");
    }

    /** A benchmark's own budget: {@code max_rounds} and {@code max_time}. */
    public Budget(int maxRounds, Duration maxTime) {
        this(maxRounds, maxTime, "max_time " + seconds(maxTime));
    }

    /** The same limit of rounds with a share of the time (the two phases of a control design share one budget). */
    public Budget share(double fraction) {
        Duration part = Duration.ofNanos(Math.max(1, (long) (maxTime.toNanos() * fraction)));
        return new Budget(maxRounds, part, seconds(part) + " (" + (fraction == 0.5 ? "half" : Math.round(fraction * 100) + "%") + " of " + limit + ")");
    }

    /**
     * Whether another round fits after {@code done} rounds that took {@code roundsTook} since the
     * series began {@code elapsed} ago.
     */
    public boolean another(int done, Duration elapsed, Duration roundsTook) {
        if (done >= maxRounds) return false;
        Duration pace = done == 0 ? Duration.ZERO : roundsTook.dividedBy(done);
        return elapsed.plus(pace).compareTo(maxTime) <= 0;
    }

    /**
     * Why the rounds of a judged series stop after {@code done} rounds, or null to go on. Besides
     * the limits of {@link #another}, a series stops once its pace shows that the {@code fewest}
     * rounds any verdict needs cannot fit: the time it would spend on rounds no look can judge is
     * left to the host's other benchmarks (see {@link HostBudget}).
     */
    public String stop(int done, Duration elapsed, Duration roundsTook, int fewest) {
        if (!another(done, elapsed, roundsTook)) return why(done);
        if (done == 0 || done >= fewest) return null;
        Duration pace = roundsTook.dividedBy(done);
        if (elapsed.plus(pace.multipliedBy(fewest - done)).compareTo(maxTime) <= 0) return null;
        return limit + " leaves no room for the " + fewest + " rounds any verdict needs (" + seconds(pace) + " a round)";
    }

    /** Why no more rounds: "max_rounds 16 reached" or "max_time 60s reached". */
    public String why(int done) {
        return done >= maxRounds ? "max_rounds " + maxRounds + " reached" : limit + " reached";
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
