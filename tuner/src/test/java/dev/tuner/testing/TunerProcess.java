package dev.tuner.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The {@code tuner} command line as a process of its own, for what only a process shows: signals,
 * exit codes set by the JVM, two runs at once, a run killed with SIGKILL (no shutdown hook, no
 * finally block runs). It runs the classes this
 * build compiled with their dependencies (the JVM and entry point {@code tuner/target/tuner}
 * uses; the packaged file itself exists only after the tests, at {@code package}).
 *
 * <pre>{@code
 * try (TunerProcess p = TunerProcess.start(tmp, "apply", playbook, "-i", inventory)) {
 *     p.signal("INT");
 *     TunerProcess.Result r = p.waitFor(Duration.ofSeconds(60));
 *     assertThat(r.exitCode()).as(r.screen()).isEqualTo(130);
 * }   // a process a failed test left running is killed here
 * }</pre>
 *
 * <p>SIGINT and SIGTERM reach the tool with their default disposition even when this JVM was
 * started in the background, where a shell sets SIGINT to ignored and children inherit that (a
 * JVM keeps a signal ignored at its start ignored): perl resets both before it execs java.
 */
public final class TunerProcess implements AutoCloseable {
    /** What the process printed and how it ended. */
    public record Result(int exitCode, String out, String err) {
        public String screen() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    private final Process process;
    private final Path out;
    private final Path err;

    private TunerProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code tuner ARGS} with its output going to files in {@code dir}. */
    public static TunerProcess start(Path dir, String... args) {
        return startIn(List.of(), dir, args);
    }

    /**
     * Starts {@code tuner ARGS} as the last words of {@code wrapper}, a command that prepares
     * something for the tool alone and then execs the rest of its arguments (as {@link FullDisk}
     * does), so that {@link #pid()} and signals still reach the tool.
     */
    public static TunerProcess startIn(List<String> wrapper, Path dir, String... args) {
        try {
            Path out = Files.createTempFile(dir, "tuner-", ".out");
            Path err = Files.createTempFile(dir, "tuner-", ".err");
            List<String> cmd = new ArrayList<>(wrapper);
            cmd.addAll(List.of("perl", "-e", "$SIG{INT} = $SIG{TERM} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", classPath(), "dev.tuner.cli.Main"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            return new TunerProcess(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start tuner " + String.join(" ", args), e);
        }
    }

    /** The classpath this JVM's tests run with: the tool's classes and its dependencies (and the tests', which it ignores). */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** The tool's pid: perl execs java, so it is the process this class started. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal by name: INT, TERM, KILL. */
    public void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
            String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + said);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What it printed to stderr so far. */
    public String errSoFar() {
        try {
            return Files.readString(err, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the end; a process still running after {@code limit} is killed and the wait fails. */
    public Result waitFor(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("tuner still ran after " + limit + "; killed. So far:\n" + read(out) + read(err));
            }
            return new Result(process.exitValue(), read(out), read(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code condition} holds, checking every 50 ms; fails naming what it printed if the process ends first or time runs out. */
    public void awaitWhileRunning(BooleanSupplier condition, Duration timeout, String what) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) throw new AssertionError("tuner ended (exit " + process.exitValue() + ") before " + what + ":\n" + output());
            if (System.nanoTime() > end) throw new AssertionError("no " + what + " after " + timeout + "; tuner printed:\n" + output());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** SIGKILL, as the kernel's OOM killer or {@code kill -9} would: no shutdown hook, no finally block runs. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("tuner (pid " + process.pid() + ") survived SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The exit status: 128 + 9 after {@link #kill}. */
    public int exitValue() {
        return process.exitValue();
    }

    /** What it printed so far, stdout then stderr. */
    public String output() {
        return read(out) + read(err);
    }

    /** Kills the process if it still runs, so a failed test leaves nothing behind to disturb the next. */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
