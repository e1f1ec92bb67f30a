package dev.tuner.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The executable file {@code tuner/target/tuner} as a user runs it: the shell launcher and the jar
 * appended to it. It exists only after {@code package}, so the tests that use it are named
 * {@code *IT} and run after it ({@code mvn verify}).
 *
 * <pre>{@code
 * TunerExecutable.Result r = TunerExecutable.run(Map.of("HOME", tmp.toString()), "--version");
 * assertThat(r.err()).as(r.screen()).isEmpty();
 * }</pre>
 *
 * <p>The launcher's environment is this JVM's without the variables that steer it ({@code TUNER_*},
 * {@code XDG_CACHE_HOME}, {@code JAVA_HOME}), then {@code env}; unless {@code env} says otherwise the
 * JVM is this one's and nothing lands in the real home directory ({@code HOME} must be given).
 */
public final class TunerExecutable {
    /** What the user saw. */
    public record Result(int exitCode, String out, String err) {
        public String screen() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    private TunerExecutable() {}

    public static Path path() {
        Path p = Repo.path("tuner/target/tuner");
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing: it is built at package, and tests named *IT run after it (mvn verify)");
        }
        return p;
    }

    /** Runs {@code tuner ARGS} in the repository root and waits for it (two minutes at most). */
    public static Result run(Map<String, String> env, String... args) {
        if (!env.containsKey("HOME")) throw new IllegalArgumentException("give HOME, or the run may write into the real home directory");
        List<String> cmd = new ArrayList<>(List.of(path().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Repo.root().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("TUNER_") || k.equals("XDG_CACHE_HOME") || k.equals("JAVA_HOME"));
        e.put("TUNER_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        e.putAll(env);
        try {
            Path out = Files.createTempFile("tuner-", ".out");
            Path err = Files.createTempFile("tuner-", ".err");
            try {
                Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("tuner " + String.join(" ", args) + " still ran after two minutes; killed");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
