package dev.tuner.transport;

import dev.tuner.testing.SshLab;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * sudo wrapping, run through a real /bin/sh. Testing against real sudo would mean creating users
 * and sudoers rules under /etc, so a stand-in {@code sudo} script on PATH takes the same options
 * (-n, -k, -S, -p, -u), asks for a password when told to, and runs the command.
 */
class BecomeTest {
    @TempDir
    static Path tmp;
    static Path bin;

    @BeforeAll
    static void fakeSudo() throws IOException {
        bin = Files.createDirectories(tmp.resolve("bin"));
        Path sudo = bin.resolve("sudo");
        Files.writeString(sudo, """
                #!/bin/sh
                # Stand-in for sudo: FAKE_SUDO_PASSWORD set means the policy wants a password.
                nonint=0; user=root
                while [ $# -gt 0 ]; do
                  case "$1" in
                    -n) nonint=1; shift ;;
                    -k|-S) shift ;;
                    -p) shift 2 ;;
                    -u) user=$2; shift 2 ;;
                    *) break ;;
                  esac
                done
                if [ -n "$FAKE_SUDO_PASSWORD" ]; then
                  if [ $nonint = 1 ]; then echo "sudo: a password is required" >&2; exit 1; fi
                  IFS= read -r given || given=
                  if [ "$given" != "$FAKE_SUDO_PASSWORD" ]; then echo "sudo: 1 incorrect password attempt" >&2; exit 1; fi
                fi
                FAKE_SUDO_AS=$user; export FAKE_SUDO_AS
                exec "$@"
                """);
        Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs a command line with /bin/sh, the stand-in sudo first on PATH. */
    private static Become.Runner shell(String policyPassword) {
        return (command, stdin, timeout) -> {
            try {
                ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command);
                pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
                if (policyPassword != null) pb.environment().put("FAKE_SUDO_PASSWORD", policyPassword);
                Process p = pb.start();
                try (OutputStream in = p.getOutputStream()) {
                    if (stdin != null) in.write(stdin);
                }
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                Thread t = new Thread(() -> {
                    try {
                        p.getErrorStream().transferTo(err);
                    } catch (IOException ignored) {
                        // process gone
                    }
                });
                t.start();
                byte[] out = p.getInputStream().readAllBytes();
                t.join();
                return new ExecResult(p.waitFor(), out, err.toByteArray());
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        };
    }

    private static SshOptions env(Map<String, String> env, Prompter prompter) {
        return SshLab.options(null, null).withEnv(env).withPrompter(prompter);
    }

    @Test
    void commandLineQuotesUserAndScript() {
        assertThat(Become.command("postgres", "echo 'hi' $HOME", false))
                .isEqualTo("exec sudo -n -u 'postgres' /bin/sh -c 'echo '\"'\"'hi'\"'\"' $HOME'");
        assertThat(Become.command("root", "id", true))
                .isEqualTo("exec sudo -k -S -p '' -u 'root' /bin/sh -c 'id'");
    }

    @Test
    void becomeIsNeededOnlyForAnotherUser() {
        ConnectionSpec on = new ConnectionSpec("h", "ssh", "h", 22, "deploy", null, true, "root", null, Duration.ofSeconds(5));
        ConnectionSpec off = new ConnectionSpec("h", "ssh", "h", 22, "deploy", null, false, "root", null, Duration.ofSeconds(5));
        assertThat(Become.needed(on, "deploy")).isTrue();
        assertThat(Become.needed(on, "root")).isFalse();
        assertThat(Become.needed(off, "deploy")).isFalse();
    }

    @Test
    void withoutPasswordTheScriptRunsAsTheBecomeUserWithItsStdin() {
        Become b = new Become("db1", "deploy", "postgres", env(Map.of(), Prompter.none()), shell(null));
        ExecResult r = b.exec("printf '%s|' \"$FAKE_SUDO_AS\" \"it's; $(echo sub)\"; cat", "data\n".getBytes(), Duration.ofSeconds(30));
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("postgres|it's; sub|data\n");
    }

    @Test
    void passwordFromTheEnvironmentIsFedToSudoAndNotToTheCommand() {
        Become b = new Become("db1", "deploy", "root",
                env(Map.of(SshOptions.BECOME_PASSWORD_ENV, "s3cr3t"), Prompter.none()), shell("s3cr3t"));
        byte[] payload = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 2; i++) {
            ExecResult r = b.exec("cat", payload, Duration.ofSeconds(30));
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEqualTo(payload);
        }
    }

    @Test
    void passwordFromThePrompter() {
        Become b = new Become("db1", "deploy", "root", env(Map.of(), prompt -> "s3cr3t"), shell("s3cr3t"));
        assertThat(b.exec("echo $FAKE_SUDO_AS", null, Duration.ofSeconds(30)).out()).isEqualTo("root\n");
    }

    @Test
    void missingPasswordIsAClearError() {
        Become b = new Become("db1", "deploy", "root", env(Map.of(), Prompter.none()), shell("s3cr3t"));
        assertThatThrownBy(() -> b.exec("true", null, Duration.ofSeconds(30)))
                .isInstanceOf(BecomeException.class)
                .hasMessage("db1: sudo needs a password for deploy and none was given: set TUNER_BECOME_PASSWORD,"
                        + " run tuner on a terminal to be asked, or allow NOPASSWD in sudoers");
    }

    @Test
    void wrongPasswordIsRefusedBeforeAnyCommandRuns() throws IOException {
        Path marker = tmp.resolve("ran");
        Become b = new Become("db1", "deploy", "root",
                env(Map.of(SshOptions.BECOME_PASSWORD_ENV, "wrong"), Prompter.none()), shell("s3cr3t"));
        assertThatThrownBy(() -> b.exec("touch " + Shell.quote(marker.toString()), null, Duration.ofSeconds(30)))
                .isInstanceOf(BecomeException.class)
                .hasMessageContaining("db1: sudo rejected the become password for deploy")
                .hasMessageContaining("incorrect password");
        assertThat(marker).doesNotExist();
    }
}
