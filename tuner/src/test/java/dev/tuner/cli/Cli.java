package dev.tuner.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;

/** Runs the real command line in-process with its output captured, as a user would see it. */
final class Cli {
    record Result(int exitCode, String out, String err, Duration took) {
        /** Both streams, for assertion messages that show the user's whole screen. */
        String screen() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    private Cli() {}

    static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** A test resource as a file path. */
    static Path resource(String name) {
        try {
            return Path.of(Cli.class.getResource("/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource not found: " + name, e);
        }
    }

    /** The repository root (surefire sets tuner.repo; an IDE run from the module directory works too). */
    static Path repo() {
        String p = System.getProperty("tuner.repo");
        return (p != null ? Path.of(p) : Path.of("..")).toAbsolutePath().normalize();
    }

    /** How the tool names a file in messages: relative to the working directory when under it. */
    static String displayed(Path file) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : file.toString();
    }
}
