package dev.tuner.verify.design;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HostBudgetTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final Budget own = new Budget(24, Duration.ofSeconds(60));

    private void pass(int seconds) {
        now.addAndGet(Duration.ofSeconds(seconds).toNanos());
    }

    @Test
    void eachBenchmarkGetsAnEqualShareOfWhatIsLeftAndTheLaterOnesGetWhatTheEarlierOnesLeft() {
        HostBudget host = new HostBudget(Duration.ofSeconds(100), 4, now::get);
        Budget first = host.next(own);
        assertEquals(Duration.ofSeconds(25), first.maxTime());
        assertEquals("25s (its share of max_host_time 100s)", first.limit());
        pass(10); // decided early: 15 s of its share are left to the others
        assertEquals(Duration.ofSeconds(30), host.next(own).maxTime());
        pass(30);
        assertEquals(Duration.ofSeconds(30), host.next(own).maxTime());
        pass(5);
        // 55 s left for the last one, but never more than its own max_time.
        Budget shorter = new Budget(24, Duration.ofSeconds(50));
        assertSame(shorter, host.next(shorter));
    }

    @Test
    void aBenchmarkAfterOthersOverranStillGetsAMoment() {
        HostBudget host = new HostBudget(Duration.ofSeconds(20), 2, now::get);
        host.next(own);
        pass(25);
        Budget late = host.next(own);
        assertEquals(Duration.ofSeconds(1), late.maxTime());
    }

    @Test
    void theControlDesignsSharesAreFixedUpFrontAndSplitBetweenItsPhases() {
        HostBudget host = new HostBudget(Duration.ofSeconds(100), 4, now::get);
        Budget phase = host.fixed(own).share(0.5);
        assertEquals(Duration.ofMillis(12_500), phase.maxTime());
        assertEquals("12.5s (half of 25s (its share of max_host_time 100s)) reached", phase.why(3));
        pass(90);
        assertEquals(Duration.ofSeconds(25), host.fixed(own).maxTime());
    }

    @Test
    void roundsStopOnceTheFewestRoundsAnyVerdictNeedsCannotFit() {
        Budget b = new Budget(24, Duration.ofSeconds(30), "30s (its share of max_host_time 120s)");
        // Before the first round the pace is unknown: go on.
        assertNull(b.stop(0, Duration.ofSeconds(5), Duration.ZERO, 6));
        // 5 s for set-up, then 7 s a round: 5 + 6 x 7 = 47 s > 30 s, so no look could ever judge these rounds.
        String why = b.stop(1, Duration.ofSeconds(12), Duration.ofSeconds(7), 6);
        assertEquals("30s (its share of max_host_time 120s) leaves no room for the 6 rounds any verdict needs (7s a round)", why);
        // 3 s a round: 5 + 6 x 3 = 23 s fits.
        assertNull(b.stop(1, Duration.ofSeconds(8), Duration.ofSeconds(3), 6));
        // Past the fewest rounds only the limits themselves stop the rounds.
        assertNull(b.stop(6, Duration.ofSeconds(23), Duration.ofSeconds(18), 6));
        assertEquals("30s (its share of max_host_time 120s) reached", b.stop(8, Duration.ofSeconds(29), Duration.ofSeconds(24), 6));
        assertEquals("max_rounds 24 reached", new Budget(24, Duration.ofHours(1)).stop(24, Duration.ofSeconds(70), Duration.ofSeconds(69), 6));
    }

    @Test
    void aBenchmarksOwnLimitIsNamedAsTheUserWroteIt() {
        assertEquals("max_time 60s reached", own.why(3));
        assertTrue(own.stop(3, Duration.ofSeconds(59), Duration.ofSeconds(54), 6) != null);
        assertNotNull(own.share(0.5).limit());
    }
}
