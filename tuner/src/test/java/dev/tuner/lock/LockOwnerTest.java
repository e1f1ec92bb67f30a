package dev.tuner.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Who holds a lock, and whether it still runs: checked against real processes of this machine. */
class LockOwnerTest {
    @Test
    void itsRecordReadsBackAsTheSameHolder() throws Exception {
        LockOwner me = LockOwner.thisProcess("20261130-101500-3f2a", "apply");
        LockOwner back = LockOwner.parse(me.text());
        assertThat(back).isEqualTo(me);
        assertThat(back.sameHolder(me)).isTrue();
        assertThat(back.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(back.machine()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        assertThat(me.forRun("other").sameHolder(me)).as("another run of the same process").isFalse();
    }

    @Test
    void aRunningHolderIsAliveAndAnEndedOneIsNot() throws Exception {
        assertThat(LockOwner.thisProcess("r", "apply").alive()).contains(true);
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        LockOwner ended = LockOwner.parse(LockOwner.thisProcess("r", "apply").text().replaceFirst("pid=\\d+", "pid=" + p.pid()));
        assertThat(ended.alive()).contains(false);
    }

    @Test
    void aPidGivenToAnotherProcessSinceIsNotTheHolder() {
        LockOwner me = LockOwner.thisProcess("r", "apply");
        LockOwner earlier = LockOwner.parse(me.text().replaceFirst("pid_started=.*", "pid_started=2001-01-01T00:00:00Z"));
        assertThat(earlier.alive()).as("same pid, started at another time").contains(false);
    }

    @Test
    void aHolderOnAnotherMachineCannotBeCheckedFromHere() {
        LockOwner elsewhere = LockOwner.parse("run=r\ncommand=apply\nuser=ops\nmachine=elsewhere\nmachine_id=0123456789abcdef\npid=1\n");
        assertThat(elsewhere.onThisMachine()).isFalse();
        assertThat(elsewhere.alive()).isEqualTo(Optional.empty());
        assertThat(elsewhere.describe()).isEqualTo("run r (apply) of ops@elsewhere, pid 1");
    }
}
