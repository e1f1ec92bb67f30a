package dev.tuner.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.diag.TunerException;
import dev.tuner.transport.TransportException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HostForkTest {
    @Test
    void resultsComeInTheOrderOfTheHostsWhateverOrderTheyFinishIn() {
        CountDownLatch lastDone = new CountDownLatch(1);
        List<String> finished = Collections.synchronizedList(new ArrayList<>());
        List<String> results = HostFork.run(List.of("db01", "db02", "db03"), 3, h -> {
            if (h.equals("db01")) await(lastDone);
            if (h.equals("db03")) lastDone.countDown();
            return h + " ok";
        }, (h, e) -> h + " failed", finished::add);

        assertThat(results).containsExactly("db01 ok", "db02 ok", "db03 ok");
        assertThat(finished).containsExactly("db01 ok", "db02 ok", "db03 ok");
    }

    @Test
    void aHostThatThrowsFailsAloneAndTheOthersFinish() {
        List<TunerException> errors = Collections.synchronizedList(new ArrayList<>());
        List<String> results = HostFork.run(List.of("a", "b", "c", "d"), 2, h -> switch (h) {
            case "b" -> throw new TransportException("connect to b:22: connection refused");
            case "c" -> throw new IllegalStateException("a bug");
            default -> h + " ok";
        }, (h, e) -> {
            errors.add(e);
            return h + (HostErrors.unreachable(e) ? " unreachable: " : " failed: ") + e.getMessage();
        }, r -> { });

        assertThat(results).hasSize(4);
        assertThat(results.get(0)).isEqualTo("a ok");
        assertThat(results.get(1)).isEqualTo("b unreachable: connect to b:22: connection refused");
        assertThat(results.get(2)).startsWith("c failed: internal error: java.lang.IllegalStateException: a bug (at ");
        assertThat(results.get(3)).isEqualTo("d ok");
        assertThat(errors).filteredOn(e -> !HostErrors.unreachable(e)).singleElement()
                .satisfies(e -> assertThat(e.getCause()).isInstanceOf(IllegalStateException.class));
    }

    @Test
    void noMoreHostsThanForksAreWorkedOnAtOnce() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> hosts = List.of(1, 2, 3, 4, 5, 6);
        HostFork.run(hosts, 2, h -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return h;
        }, (h, e) -> -1, r -> { });
        assertThat(most.get()).isLessThanOrEqualTo(2);
    }

    static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("the last host finished first").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
