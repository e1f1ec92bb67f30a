package dev.tuner.testing;

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
 * {@code tuner} as a process of its own (a JVM running this build's classes, as the packaged
 * {@code tuner} runs them), for what the in-process {@link TunerCli} cannot show: the process being
 * killed. Its stdout and stderr go to one file.
 */
public final class TunerProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private TunerProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code tuner ARGS}, writing what it prints to {@code output}. */
    public static TunerProcess start(Path output, String... args) {
        // Surefire names the test class path here; its own java.class.path is a jar that only points to it.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "dev.tuner.cli.Main"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            return new TunerProcess(p, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
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

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) kill();
    }
}
