package dev.tuner.settings;

import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.Shell;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Writes and removes files on a host atomically: content travels on stdin, never on a command line. */
public final class RemoteFiles {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private RemoteFiles() {}

    /** Checks a path before it goes anywhere near a shell: absolute, no control characters, no "..". */
    public static void checkPath(String path) {
        if (path == null || !path.startsWith("/")) throw new SpecException("path must be absolute: " + path);
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) throw new SpecException("path contains control characters");
        for (String part : path.split("/")) {
            if (part.equals("..")) throw new SpecException("path must not contain '..': " + path);
        }
    }

    /**
     * Writes {@code content} to {@code path} through a temporary file in the same directory and a
     * rename, so readers never see half a file. {@code mode} (octal, e.g. 0644) may be null to keep
     * the existing file's mode, or 0644 for a new file.
     */
    public static void writeAtomic(Connection c, String path, String content, String mode) {
        checkPath(path);
        if (mode != null && !mode.matches("0?[0-7]{3,4}")) throw new SpecException("bad file mode " + mode);
        String p = Shell.quote(path);
        String script = "set -e\n"
                + "d=$(dirname -- " + p + ")\n"
                + "mkdir -p -- \"$d\"\n"
                + "t=$(mktemp \"$d/.tuner.XXXXXX\")\n"
                + "trap 'rm -f -- \"$t\"' EXIT\n"
                + "cat > \"$t\"\n"
                + (mode != null ? "chmod " + mode + " \"$t\"\n"
                        : "if [ -e " + p + " ]; then chmod --reference=" + p + " \"$t\"; chown --reference=" + p
                                + " \"$t\" 2>/dev/null || true; else chmod 0644 \"$t\"; fi\n")
                + "mv -f -- \"$t\" " + p + "\n"
                + "trap - EXIT\n";
        ExecResult r = c.exec(script, content.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        if (!r.ok()) throw new ApplyException("cannot write " + path + ": " + r.err().strip());
    }

    /** Removes a file if it exists. */
    public static void remove(Connection c, String path) {
        checkPath(path);
        ExecResult r = c.exec("rm -f -- " + Shell.quote(path), null, TIMEOUT);
        if (!r.ok()) throw new ApplyException("cannot remove " + path + ": " + r.err().strip());
    }

    /** Makes the file hold {@code content}, or removes it when content is null. */
    public static void restore(Connection c, String path, String content, String mode) {
        if (content == null) remove(c, path);
        else writeAtomic(c, path, content, mode);
    }

}
