package dev.tuner.testing;

import dev.tuner.vsphere.TlsPolicy;
import dev.tuner.vsphere.Vim25Client;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running govmomi simulator (vcsim) built from Debian's govmomi source by src/test/vcsim/build.sh: TLS
 * with a fresh certificate, one fixed user, a SOAP trace of every request. Each instance is a fresh
 * inventory (VPX model: DC0_H0_VM0, DC0_H0_VM1, DC0_C0_RP0_VM0, DC0_C0_RP0_VM1, all powered on).
 * When vcsim cannot be built, tests fail in CI and are skipped elsewhere, saying why ({@link Peers}).
 */
public final class Vcsim implements AutoCloseable {
    public static final String USER = "tuner";
    public static final String PASSWORD = "tuner-secret";
    private static final Pattern READY = Pattern.compile("VCSIM_READY url=(\\S+) thumbprint=(\\S+) cert=(\\S*)");
    private static Path binary;
    private static String buildError;

    public final URI url;
    public final String thumbprint;
    public final Path certFile;
    final Path traceFile;
    private final Process process;
    private final Path dir;

    private Vcsim(Process process, Path dir, URI url, String thumbprint, Path certFile, Path traceFile) {
        this.process = process;
        this.dir = dir;
        this.url = url;
        this.thumbprint = thumbprint;
        this.certFile = certFile;
        this.traceFile = traceFile;
    }

    static synchronized Path binary() {
        if (binary == null && buildError == null) {
            Path script = Repo.path("tuner/src/test/vcsim/build.sh");
            try {
                Process p = new ProcessBuilder("sh", script.toString()).redirectErrorStream(false).start();
                p.getOutputStream().close();
                CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
                String out = readAll(p.getInputStream()).strip();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    buildError = "build.sh took more than 5 minutes";
                } else if (p.exitValue() != 0) {
                    buildError = "build.sh exited " + p.exitValue() + ": " + err.join().strip();
                } else {
                    binary = Paths.get(out.lines().reduce((a, b) -> b).orElse(""));
                }
            } catch (IOException e) {
                buildError = "cannot run " + script + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                buildError = "interrupted";
            }
        }
        Peers.require("vcsim", buildError == null ? null
                : "it could not be built (apt-get install -y golang-go golang-github-vmware-govmomi-dev): " + buildError);
        return binary;
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Starts a fresh simulator on a free loopback port and waits until it accepts requests. */
    public static Vcsim start() throws IOException {
        Path bin = binary();
        Path dir = Files.createTempDirectory("vcsim");
        Path cert = dir.resolve("cert.pem");
        Path trace = dir.resolve("trace.log");
        Process p = new ProcessBuilder(bin.toString(), "-listen", "127.0.0.1:0", "-username", USER, "-password", PASSWORD,
                "-cert-out", cert.toString(), "-trace", trace.toString())
                .redirectError(dir.resolve("stderr.log").toFile())
                .start();
        // vcsim exits when its stdin closes: the pipe is held open until close(), and dies with this JVM.
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String ready;
        try {
            ready = line.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            ready = null;
        }
        Matcher m = ready == null ? null : READY.matcher(ready);
        if (m == null || !m.find()) {
            p.destroyForcibly();
            String err = Files.exists(dir.resolve("stderr.log")) ? Files.readString(dir.resolve("stderr.log")) : "";
            throw new AssertionError("vcsim did not start (first line: " + ready + "): " + err);
        }
        return new Vcsim(p, dir, URI.create(m.group(1)), m.group(2), cert, trace);
    }

    Vim25Client.Endpoint endpoint() {
        return new Vim25Client.Endpoint(url, USER, PASSWORD, TlsPolicy.pinned(thumbprint));
    }

    public Vim25Client connect() {
        return Vim25Client.connect(endpoint());
    }

    /** Every SOAP request vcsim received so far, in order (the simulator cannot judge all of them, the test can). */
    public String trace() throws IOException {
        return Files.readString(traceFile);
    }

    /** The SOAP requests since the trace had {@code offset} characters. */
    public String traceSince(int offset) throws IOException {
        String t = trace();
        return t.substring(Math.min(offset, t.length()));
    }

    public int traceLength() throws IOException {
        return trace().length();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
