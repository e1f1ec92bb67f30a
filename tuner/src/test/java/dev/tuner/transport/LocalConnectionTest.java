package dev.tuner.transport;

import dev.tuner.testing.SshLab;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** connection: local — real /bin/sh processes on this machine (harmless commands only). */
class LocalConnectionTest {
    private static Connection local() {
        ConnectionSpec spec = ConnectionSpec.fromVars("localhost", Map.of());
        assertThat(spec.isLocal()).isTrue();
        return ConnectionFactory.open(spec, SshLab.options(null, null));
    }

    @Test
    void returnsStdoutStderrAndExitCode() {
        try (Connection c = local()) {
            ExecResult r = c.exec("echo out; echo err >&2; exit 4");
            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.out()).isEqualTo("out\n");
            assertThat(r.err()).isEqualTo("err\n");
            assertThat(c.hostName()).isEqualTo("localhost");
        }
    }

    @Test
    void binaryStdinRoundTripsAndBigOutputsOnBothStreamsDoNotDeadlock() {
        byte[] data = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(data);
        try (Connection c = local()) {
            ExecResult r = c.exec("cat; head -c 3000000 /dev/zero >&2", data, Duration.ofSeconds(60));
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEqualTo(data);
            assertThat(r.stderr()).hasSize(3_000_000);
        }
    }

    @Test
    void aCommandThatIgnoresItsStdinStillFinishes() {
        try (Connection c = local()) {
            assertThat(c.exec("echo ignored", new byte[5 * 1024 * 1024], Duration.ofSeconds(60)).out())
                    .isEqualTo("ignored\n");
        }
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws Exception {
        try (Connection c = local()) {
            assertThatThrownBy(() -> c.exec("sleep 71 & sleep 72; echo done", null, Duration.ofSeconds(1)))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("localhost")
                    .hasMessageContaining("timed out after 1s");
            SshConnectionTest.awaitNoProcess("sleep 71");
            SshConnectionTest.awaitNoProcess("sleep 72");
        }
    }

    @Test
    void unknownConnectionTypeIsNamed() {
        ConnectionSpec spec = ConnectionSpec.fromVars("c1", Map.of("ansible_connection", "docker"));
        assertThatThrownBy(() -> ConnectionFactory.open(spec, SshLab.options(null, null)))
                .isInstanceOf(TransportException.class)
                .hasMessage("c1: connection type 'docker' is not supported (use ssh or local)");
    }
}
