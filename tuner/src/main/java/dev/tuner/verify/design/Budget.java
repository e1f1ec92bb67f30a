package dev.tuner.verify.design;

import java.time.Duration;

/**
 * How long one benchmark's rounds may go on for one host: at most {@code maxRounds} rounds and
 * {@code maxTime} (set-up, warm-up, toggles and runs included). A round is begun only when the
 * rounds so far, at their average pace, leave time for it; so the budget is kept, and a round is
 * never cut short.
 */
public record Budget(int maxRounds, Duration maxTime) {
    public static final int DEFAULT_MAX_ROUNDS = 24;
    public static final Duration DEFAULT_MAX_TIME = Duration.ofSeconds(60);

    public Budget {
        if (maxRounds < 1) throw new IllegalArgumentException("max_rounds must be at least 1");
        if (maxTime.isNegative() || maxTime.isZero()) throw new IllegalArgumentException("max_time must be positive");
    }

    /** The same limit of rounds with a share of the time (the two phases of a control design share one budget). */
    public Budget share(double fraction) {
        return new Budget(maxRounds, Duration.ofNanos((long) (maxTime.toNanos() * fraction)));
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

    /** Why no more rounds: "max_rounds 16 reached" or "max_time 60s reached". */
    public String why(int done) {
        return done >= maxRounds ? "max_rounds " + maxRounds + " reached" : "max_time " + seconds(maxTime) + " reached";
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
