package dev.tuner.testing;

import dev.tuner.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;

/**
 * The real {@code tuner} command line, run in this JVM with its output captured as the user would
 * see it: the same {@link Main#commandLine(String...)} as {@code tuner}'s {@code main}, error handlers
 * and exit codes included.
 *
 * <pre>{@code
 * TunerCli.Result r = TunerCli.run("plan", playbook.toString(), "-i", inventory.toString(), "--format", "json");
 * assertThat(r.exitCode()).as(r.screen()).isEqualTo(2);
 * }</pre>
 *
 * <p>The tool reads nothing from standard input, so there is none to give. Its working directory
 * and environment are this JVM's (surefire runs in {@code tuner/}): tests name files by absolute
 * path, pass {@code --journal}, and compare file names in messages with {@link #displayed}.
 */
public final class TunerCli {
    /** What the user saw: the exit code, both streams, and how long the command took. */
    public record Result(int exitCode, String out, String err, Duration took) {
        /** Both streams, for assertion messages that show the user's whole screen. */
        public String screen() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }

        /** The part of the text output about one host: from its {@code HOST name} line to the next host, play or the recap. */
        public String host(String name) {
            int start = out.indexOf("\nHOST " + name);
            if (start < 0) throw new AssertionError("no 'HOST " + name + "' section in:\n" + screen());
            int end = out.length();
            for (String next : new String[] {"\nHOST ", "\nPLAY RECAP", "\nPLAY ["}) {
                int i = out.indexOf(next, start + 1);
                if (i >= 0 && i < end) end = i;
            }
            return out.substring(start + 1, end);
        }
    }

    private TunerCli() {}

    public static Result run(String... args) {
        CommandLine cl = Main.commandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - start));
    }

    public static Result run(List<String> args) {
        return run(args.toArray(String[]::new));
    }

    /** How the tool names a file in messages: relative to the working directory when under it. */
    public static String displayed(Path file) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : file.toString();
    }
}
