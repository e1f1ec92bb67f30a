package dev.tuner.e2e;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import picocli.CommandLine;

/**
 * Runs the real {@code tuner} command line in-process, with stdout and stderr captured as the user
 * would see them. It uses the same {@code Main.commandLine()} as {@code tuner}'s {@code main} (error
 * handlers included); that factory is package-private, so it is reached reflectively from here.
 */
final class Tuner {
    record Result(int exitCode, String out, String err) {
        /** Both streams, for assertion messages that show the user's whole screen. */
        String screen() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }

        /** The part of the text output about one host: from its {@code HOST name} line to the next host or the recap. */
        String host(String name) {
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

    private Tuner() {}

    static Result run(String... args) {
        CommandLine cl;
        try {
            Method factory = dev.tuner.cli.Main.class.getDeclaredMethod("commandLine");
            factory.setAccessible(true);
            cl = (CommandLine) factory.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("dev.tuner.cli.Main.commandLine() is gone: update " + Tuner.class.getName(), e);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int code = cl.execute(args);
        System.err.printf("[e2e] tuner %s: exit %d in %d ms%n", String.join(" ", args), code, (System.nanoTime() - start) / 1_000_000);
        return new Result(code, out.toString(), err.toString());
    }
}
