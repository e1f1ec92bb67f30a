package dev.tuner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * SciPy (Debian's python3-scipy) as an independent implementation of the statistics tuner
 * computes itself: runs a script of {@code tuner/src/test/scipy/} with a JSON document on stdin
 * and reads the JSON it prints.
 */
public final class SciPy {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SciPy() {}

    /** Runs {@code script} (a file name in tuner/src/test/scipy) on {@code input}; skips or fails as {@link Peers} says without SciPy. */
    public static JsonNode run(String script, Object input) throws Exception {
        boolean available = Files.isExecutable(PYTHON)
                && new ProcessBuilder(PYTHON.toString(), "-c", "import scipy.stats, numpy").start().waitFor() == 0;
        Peers.require("SciPy", available ? null : "not installed for /usr/bin/python3 (apt-get install -y python3-scipy)");
        Process p = new ProcessBuilder(List.of(PYTHON.toString(), Repo.root().resolve("tuner/src/test/scipy/" + script).toString())).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(input));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(script + " failed: " + err.join() + out);
        }
        return JSON.readTree(out);
    }
}
