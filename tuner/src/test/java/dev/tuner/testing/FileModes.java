package dev.tuner.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A local file's permission bits as {@code stat(1)} prints them ("700"): read by the system's tool, not by Java. */
public final class FileModes {
    private FileModes() {}

    public static String of(Path p) {
        try {
            Process proc = new ProcessBuilder("stat", "-c", "%a", p.toString()).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(proc.waitFor(10, TimeUnit.SECONDS)).as("stat %s finished", p).isTrue();
            assertThat(proc.exitValue()).as("stat %s: %s", p, out).isZero();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
