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
 * scipy (Debian's python3-scipy, for /usr/bin/python3) as an independent implementation of the
 * statistics: a script under {@code tuner/src/test/scripts} reads JSON on stdin and answers JSON.
 */
public final class Scipy {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Scipy() {}

    /** Runs {@code tuner/src/test/scripts/SCRIPT} with {@code input} as JSON on stdin; returns its JSON answer. */
    public static JsonNode run(String script, Object input) throws Exception {
        Peers.require("scipy", whyUnavailable());
        Process p = new ProcessBuilder(List.of(PYTHON.toString(), Repo.root().resolve("tuner/src/test/scripts").resolve(script).toString()))
                .start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(input));
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish in 120 s");
        }
        if (p.exitValue() != 0) throw new AssertionError(script + " failed (exit " + p.exitValue() + "): " + err.join() + out.join());
        return JSON.readTree(out.join());
    }

    /** Null when /usr/bin/python3 imports scipy; otherwise why not. */
    static String whyUnavailable() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) return PYTHON + " not found (apt-get install -y python3-scipy)";
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import scipy.stats").redirectErrorStream(true).start();
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0 ? null : "not installed for " + PYTHON + " (apt-get install -y python3-scipy)";
    }
}
