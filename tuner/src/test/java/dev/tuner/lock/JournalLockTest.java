package dev.tuner.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuner.transport.StopRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run per journal: a second is refused naming the first, or waits for it; the file names the holder while it is held. */
class JournalLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunIsRefusedNamingTheFirstAndTakesItOnceReleased() throws Exception {
        LockOwner first = LockOwner.thisProcess(null, "apply");
        try (JournalLock lock = JournalLock.take(dir, first, Duration.ZERO, new StopRequest())) {
            lock.update(first.forRun("20261130-101500-3f2a"));
            assertThat(Files.readString(dir.resolve("lock"))).contains("run=20261130-101500-3f2a\n", "pid=" + ProcessHandle.current().pid() + "\n");
            assertThatThrownBy(() -> JournalLock.take(dir, LockOwner.thisProcess(null, "rollback"), Duration.ZERO, new StopRequest()))
                    .isInstanceOf(LockedException.class)
                    .hasMessageStartingWith("journal " + dir + " is locked by run 20261130-101500-3f2a (apply) of ")
                    .hasMessageContaining("not waited, nothing was changed");
        }
        assertThat(Files.readString(dir.resolve("lock"))).as("emptied when released").isEmpty();
        JournalLock.take(dir, LockOwner.thisProcess(null, "apply"), Duration.ZERO, new StopRequest()).close();
    }

    @Test
    void aSecondRunWaitsForTheFirstWithATimeout() throws Exception {
        JournalLock held = JournalLock.take(dir, LockOwner.thisProcess("a", "apply"), Duration.ZERO, new StopRequest());
        CompletableFuture<JournalLock> waiting = CompletableFuture.supplyAsync(
                () -> JournalLock.take(dir, LockOwner.thisProcess("b", "apply"), Duration.ofSeconds(30), new StopRequest()));
        Thread.sleep(700);
        assertThat(waiting).as("still waiting").isNotDone();
        held.close();
        waiting.get(10, TimeUnit.SECONDS).close();
    }

    @Test
    void aStopRequestEndsTheWait() throws Exception {
        try (JournalLock held = JournalLock.take(dir, LockOwner.thisProcess("a", "apply"), Duration.ZERO, new StopRequest())) {
            StopRequest stop = new StopRequest();
            CompletableFuture<JournalLock> waiting = CompletableFuture.supplyAsync(
                    () -> JournalLock.take(dir, LockOwner.thisProcess("b", "apply"), Duration.ofMinutes(5), stop));
            Thread.sleep(300);
            stop.request("SIGINT");
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StopRequest.Stopped.class);
        }
    }
}
