package dev.tuner.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tuner.diag.TunerException;
import dev.tuner.testing.FileModes;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.LocalConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one read script, run by /bin/sh on this machine against files in a temp directory. */
class ReadScriptTest {
    @TempDir
    Path dir;

    private static ReadOutput run(ReadScript script) {
        return script.run(LocalConnection.thisMachine(), Duration.ofMinutes(1));
    }

    @Test
    void filesComeBackByteForByteAndAbsentOnesAsMissing() throws Exception {
        Path f = dir.resolve("a.conf");
        String content = "x = 1\n\n  tabs\tand 'quotes' \"$HOME\" `id`\nno final newline";
        Files.writeString(f, content, StandardCharsets.UTF_8);
        ReadOutput out = run(new ReadScript().file("a", f.toString()).file("b", dir.resolve("absent").toString()));
        assertThat(out.entry("a").status()).isEqualTo(ReadOutput.Status.OK);
        assertThat(out.entry("a").text()).isEqualTo(content);
        assertThat(out.entry("b").status()).isEqualTo(ReadOutput.Status.MISSING);
        assertThat(out.entry("never probed").status()).isEqualTo(ReadOutput.Status.MISSING);
    }

    @Test
    void bytesThatAreNotTextSurviveExactly() throws Exception {
        byte[] binary = {'a', '\r', '\n', (byte) 0xff, (byte) 0xfe, 0, 'b', 0, '\n', '\n'};
        Files.write(dir.resolve("bin"), binary);
        Files.write(dir.resolve("empty"), new byte[0]);
        Files.writeString(dir.resolve("crlf"), "k = v\r\nk2 = v2\r\n");
        ReadOutput out = run(new ReadScript().file("bin", dir.resolve("bin").toString())
                .file("empty", dir.resolve("empty").toString()).file("crlf", dir.resolve("crlf").toString()));
        assertThat(out.entry("bin").bytes()).isEqualTo(binary);
        assertThat(out.entry("empty").status()).isEqualTo(ReadOutput.Status.OK);
        assertThat(out.entry("empty").bytes()).isEmpty();
        assertThat(out.entry("crlf").text()).isEqualTo("k = v\r\nk2 = v2\r\n");
    }

    @Test
    void aDirectoryWhereAFileIsExpectedIsAnErrorNotAnEmptyFile() throws Exception {
        Path d = Files.createDirectory(dir.resolve("daemon.json"));
        ReadOutput.Entry e = run(new ReadScript().file("cfg", d.toString())).entry("cfg");
        assertThat(e.status()).isEqualTo(ReadOutput.Status.ERROR);
        assertThat(e.text()).contains("is a directory");
    }

    @Test
    void aFifoIsAnErrorInsteadOfAReadThatNeverEnds() throws Exception {
        Path fifo = dir.resolve("x.conf");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        ReadOutput out = run(new ReadScript().glob("c:", dir.toString(), "*.conf").file("f", fifo.toString()));
        assertThat(out.entry("f").status()).isEqualTo(ReadOutput.Status.ERROR);
        assertThat(out.entry("f").text()).isEqualTo(fifo + ": not a regular file");
        assertThat(out.entry("c:" + fifo).status()).isEqualTo(ReadOutput.Status.ERROR);
    }

    @Test
    void aKernelFileThatRefusesToBeReadIsAnErrorWithTheKernelsReasonAndTheOthersStillRead() throws Exception {
        // Reading, never writing: an unset stable_secret answers EIO, a write-only key EACCES (even to root).
        Path eio = Path.of("/proc/sys/net/ipv6/conf/lo/stable_secret");
        Path writeOnly = Path.of("/proc/sys/vm/drop_caches");
        assumeTrue(Files.exists(eio) && Files.exists(writeOnly), "this kernel has no IPv6 stable_secret or no drop_caches");
        Path ok = dir.resolve("ok");
        Files.writeString(ok, "fine\n");
        ReadOutput out = run(new ReadScript().file("eio", eio.toString()).file("wo", writeOnly.toString()).file("ok", ok.toString()));
        assertThat(out.entry("eio").status()).isEqualTo(ReadOutput.Status.ERROR);
        assertThat(out.entry("eio").text()).contains(eio.toString()).contains("Input/output error");
        assertThat(out.entry("wo").status()).isEqualTo(ReadOutput.Status.ERROR);
        assertThat(out.entry("wo").text()).contains("Permission denied");
        assertThat(out.entry("ok").status()).isEqualTo(ReadOutput.Status.OK);
        assertThat(out.entry("ok").text()).isEqualTo("fine\n");
    }

    @Test
    void eachFileComesWithItsModeOwnerAndGroupAsStatSaysAndKernelAttributesWithout() throws Exception {
        Path secret = Files.writeString(dir.resolve("daemon.json"), "{\"registry-mirrors\": [\"https://u:pw@mirror\"]}\n");
        Path plain = Files.writeString(dir.resolve("plain.conf"), "x\n");
        Path odd = Files.writeString(dir.resolve("with space\nand newline.conf"), "y\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.conf"), secret);
        chmod("600", secret);
        chmod("644", plain);
        chmod("2750", odd);
        ReadOutput out = run(new ReadScript().file("secret", secret.toString()).file("plain", plain.toString())
                .file("link", link.toString()).glob("c:", dir.toString(), "*.conf").file("kernel", "/proc/sys/kernel/ostype")
                .command("cmd", "echo", "hi"));
        assertThat(out.entry("secret").mode()).isEqualTo("0" + FileModes.of(secret)).isEqualTo("0600");
        assertThat(out.entry("plain").mode()).isEqualTo("0644");
        assertThat(out.entry("link").mode()).as("the file a link points to, as cat reads it").isEqualTo("0600");
        assertThat(out.entry("c:" + odd).mode()).isEqualTo("2750");
        assertThat(out.entry("c:" + odd).text()).isEqualTo("y\n");
        String[] ownerGroup = stat("%U %G", secret).split(" ");
        assertThat(out.entry("secret").file()).isEqualTo(new ReadOutput.Attributes("0600", ownerGroup[0], ownerGroup[1]));
        assertThat(out.entry("kernel").ok()).isTrue();
        assertThat(out.entry("kernel").file()).as("/proc holds no file a kind writes: not stat'ed").isNull();
        assertThat(out.entry("cmd").file()).isNull();
        assertThat(out.entry("absent").file()).isNull();
    }

    private static void chmod(String mode, Path p) throws Exception {
        assertThat(new ProcessBuilder("chmod", mode, p.toString()).start().waitFor()).isZero();
    }

    /** stat(1)'s own answer for a file. */
    private static String stat(String format, Path p) throws Exception {
        Process proc = new ProcessBuilder("stat", "-c", format, p.toString()).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(proc.waitFor()).isZero();
        return out;
    }

    @Test
    void globsReportEveryFileUnderItsPathWhateverTheNameHolds() throws Exception {
        Map<String, String> files = new TreeMap<>();
        for (String name : new String[] {"a.conf", "b c.conf", "q'uote\".conf", "$(touch pwned).conf", "new\nline.conf", "skip.txt"}) {
            Files.writeString(dir.resolve(name), "in " + name);
            if (name.endsWith(".conf")) files.put(dir.resolve(name).toString(), "in " + name);
        }
        Files.createDirectory(dir.resolve("sub.conf"));
        ReadOutput out = run(new ReadScript().glob("c:", dir.toString(), "*.conf").glob("none:", dir.toString(), "*.absent"));
        Map<String, ReadOutput.Entry> got = out.withPrefix("c:");
        assertThat(got.keySet()).containsAll(files.keySet()).contains(dir.resolve("sub.conf").toString()).hasSize(files.size() + 1);
        files.forEach((path, text) -> assertThat(got.get(path).text()).isEqualTo(text));
        assertThat(got.get(dir.resolve("sub.conf").toString()).status()).isEqualTo(ReadOutput.Status.ERROR);
        assertThat(out.withPrefix("none:")).isEmpty();
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void aPathPatternIsExpandedAcrossDirectoriesAndNeverRunAsScript() throws Exception {
        for (String disk : new String[] {"sda", "sdb", "nvme0"}) {
            Files.createDirectories(dir.resolve("block/" + disk + "/queue"));
            Files.writeString(dir.resolve("block/" + disk + "/queue/scheduler"), disk + "\n");
        }
        String hostile = dir + "/block/$(touch " + dir + "/pwned)*/queue/scheduler";
        ReadOutput out = run(new ReadScript().matching("s:", dir + "/block/sd*/queue/scheduler").matching("h:", hostile));
        assertThat(out.withPrefix("s:")).containsOnlyKeys(dir + "/block/sda/queue/scheduler", dir + "/block/sdb/queue/scheduler");
        assertThat(out.entry("s:" + dir + "/block/sdb/queue/scheduler").text()).isEqualTo("sdb\n");
        assertThat(out.withPrefix("h:")).isEmpty();
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void commandsAnswerWithTheirOutputAndStatusAndCannotEatTheScript() throws Exception {
        Path after = dir.resolve("after");
        Files.writeString(after, "still read\n");
        ReadOutput out = run(new ReadScript()
                .command("echo", "printf", "%s\\n\\n", "a b")
                .command("stdin", "cat")
                .shell("fails", "echo no >&2; exit 3")
                .command("absent", "no-such-command-here")
                .file("after", after.toString()));
        assertThat(out.entry("echo")).isEqualTo(new ReadOutput.Entry(ReadOutput.Status.OK, "a b"));
        assertThat(out.entry("stdin")).isEqualTo(new ReadOutput.Entry(ReadOutput.Status.OK, ""));
        assertThat(out.entry("fails")).isEqualTo(new ReadOutput.Entry(ReadOutput.Status.ERROR, "no"));
        assertThat(out.entry("absent").status()).isEqualTo(ReadOutput.Status.ERROR);
        assertThat(out.entry("absent").text()).contains("not found");
        assertThat(out.entry("after").text()).isEqualTo("still read\n");
    }

    @Test
    void moreFilesThanOneCatTakesAreAllReadInOrder() throws Exception {
        ReadScript script = new ReadScript();
        int n = ReadScript.BATCH * 2 + 7;
        for (int i = 0; i < n; i++) {
            Path f = dir.resolve("f" + i);
            Files.writeString(f, i % 3 == 0 ? "" : "value " + i + (i % 2 == 0 ? "\n" : ""));
            script.file("f" + i, f.toString());
            if (i % 100 == 0) script.file("gone" + i, dir.resolve("gone" + i).toString());
        }
        ReadOutput out = run(script);
        for (int i = 0; i < n; i++) {
            assertThat(out.entry("f" + i).text()).as("f" + i).isEqualTo(i % 3 == 0 ? "" : "value " + i + (i % 2 == 0 ? "\n" : ""));
            if (i % 100 == 1) assertThat(out.entry("f" + i).mode()).as("mode of f" + i).isEqualTo("0" + FileModes.of(dir.resolve("f" + i)));
            if (i % 100 == 0) assertThat(out.entry("gone" + i).status()).isEqualTo(ReadOutput.Status.MISSING);
        }
        assertThat(out.withPrefix("f").keySet()).first().isEqualTo("0");
    }

    @Test
    void theScriptTravelsOnStdinAndGrowsWithoutBound() {
        AtomicReference<String> argument = new AtomicReference<>();
        Connection spy = new Connection() {
            private final Connection real = LocalConnection.thisMachine();

            @Override
            public String hostName() {
                return "spy";
            }

            @Override
            public ExecResult exec(String script, byte[] stdin, Duration timeout) {
                argument.set(script);
                return real.exec(script, stdin, timeout);
            }

            @Override
            public void close() {
            }
        };
        ReadScript script = new ReadScript();
        // ~3 MB of script: far more than one argument may hold (MAX_ARG_STRLEN is 128 KiB).
        for (int i = 0; i < 20_000; i++) script.file("k" + i, "/proc/sys/no/such/key/" + "x".repeat(120) + i);
        ReadOutput out = script.run(spy, Duration.ofMinutes(2));
        assertThat(out.entry("k19999").status()).isEqualTo(ReadOutput.Status.MISSING);
        assertThat(argument.get()).hasSizeLessThan(100);
    }

    @Test
    void aShellThatDiesMidwayFailsTheReadInsteadOfReportingFilesMissing() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "x");
        ReadScript script = new ReadScript().shell("killer", "kill -KILL $$").file("f", f.toString());
        assertThatThrownBy(() -> run(script)).isInstanceOf(TunerException.class)
                .hasMessageContaining("reading current values on localhost did not complete");
    }
}
