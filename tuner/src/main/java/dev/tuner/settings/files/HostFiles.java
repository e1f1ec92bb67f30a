package dev.tuner.settings.files;

import dev.tuner.settings.ApplyException;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.SpecException;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.Shell;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one way any kind writes or removes a file on a host. Every write is
 * <ul>
 *   <li><b>guarded</b>: it happens only over the content the plan was made from. A file someone
 *       edited between plan and apply is refused rather than overwritten, and a file that already
 *       holds the planned content is left alone; both make a rollback or a revert after a partial
 *       apply safe to run twice;</li>
 *   <li><b>whole or not at all</b>: the content travels on stdin into a temporary file in the same
 *       directory, whose SHA-256 must be the planned one before it is renamed over the file. A client
 *       that dies mid-transfer leaves the old file, never a truncated one;</li>
 *   <li><b>born right</b>: mode, owner and group are set on the temporary file before the rename.</li>
 * </ul>
 * Guard and write are one exec, so a file costs one round trip.
 */
public final class HostFiles {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** POSIX user/group names (as useradd accepts them) or numeric ids: nothing a shell could interpret. */
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}\\$?|[0-9]{1,10}");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");
    private static final String MISSING = "missing";

    private HostFiles() {}

    /** Checks a path before it goes anywhere near a shell: absolute, no control characters, no "..". */
    public static void checkPath(String path) {
        if (path == null || !path.startsWith("/")) throw new SpecException("path must be absolute: " + path);
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) throw new SpecException("path contains control characters");
        for (String part : path.split("/")) {
            if (part.equals("..")) throw new SpecException("path must not contain '..': " + path);
        }
    }

    public static boolean validAccount(String name) {
        return name != null && ACCOUNT.matcher(name).matches();
    }

    public static boolean validMode(String mode) {
        return mode != null && MODE.matcher(mode).matches();
    }

    /** Normalises "644" / "0644" / "00644" to four digits, "0644". */
    public static String normalizeMode(String mode) {
        String m = mode.replaceFirst("^0+(?=[0-7]{3,4}$)", "");
        while (m.length() < 4) m = "0" + m;
        return m;
    }

    public static String sha256(String content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applies every changing file of a plan with its mode; returns those actually written (the rest already matched). */
    public static List<FileChange> apply(Connection c, List<FileChange> files) {
        List<FileChange> written = new ArrayList<>();
        for (FileChange f : files) {
            if (write(c, f, null, null)) written.add(f);
        }
        return written;
    }

    /**
     * Makes the file go from {@code f.before()} to {@code f.after()} (null after: removed), with
     * {@code f.mode()} and the given owner and group (null keeps the existing file's, or 0644/root
     * for a new one). Returns true when it wrote, false when the file already held the planned
     * content. Throws {@link ApplyException} when the file holds anything else, or the write failed;
     * the file is then as it was.
     */
    public static boolean write(Connection c, FileChange f, String owner, String group) {
        if (!f.changes()) return false;
        String path = f.path();
        checkPath(path);
        // Plans can come back from a journal file: check again whatever reaches the shell.
        String mode = f.mode();
        if (mode != null && !validMode(mode)) throw new SpecException("bad file mode '" + mode + "'");
        if (owner != null && !validAccount(owner)) throw new SpecException("bad owner name '" + owner + "'");
        if (group != null && !validAccount(group)) throw new SpecException("bad group name '" + group + "'");
        String p = Shell.quote(path);
        String wantBefore = f.before() == null ? MISSING : sha256(f.before());
        String wantAfter = f.after() == null ? MISSING : sha256(f.after());
        StringBuilder s = new StringBuilder("set -e\n")
                .append("if [ -e ").append(p).append(" ]; then now=$(sha256sum < ").append(p).append("); now=${now%% *}; else now=")
                .append(MISSING).append("; fi\n")
                .append("if [ \"$now\" = ").append(wantAfter).append(" ]; then echo already; exit 0; fi\n")
                .append("if [ \"$now\" != ").append(wantBefore).append(" ]; then echo changed; exit 0; fi\n");
        if (f.after() == null) {
            s.append("rm -f -- ").append(p).append("\necho written\n");
        } else {
            s.append("d=$(dirname -- ").append(p).append(")\n")
                    .append("mkdir -p -- \"$d\"\n")
                    .append("t=$(mktemp \"$d/.tuner.XXXXXX\")\n")
                    .append("trap 'rm -f -- \"$t\"' EXIT\n")
                    .append("cat > \"$t\"\n")
                    // A client that died mid-transfer sent an end-of-file early: the sum tells.
                    .append("got=$(sha256sum < \"$t\"); got=${got%% *}\n")
                    .append("if [ \"$got\" != ").append(wantAfter)
                    .append(" ]; then echo 'the content did not arrive whole; the file was left as it was' >&2; exit 1; fi\n")
                    .append("if [ -e ").append(p).append(" ]; then chmod --reference=").append(p)
                    .append(" \"$t\"; chown --reference=").append(p).append(" \"$t\" 2>/dev/null || true; else chmod 0644 \"$t\"; fi\n");
            if (mode != null) s.append("chmod ").append(normalizeMode(mode)).append(" \"$t\"\n");
            if (owner != null || group != null)
                s.append("chown ").append(Shell.quote((owner == null ? "" : owner) + (group == null ? "" : ":" + group))).append(" \"$t\"\n");
            s.append("mv -f -- \"$t\" ").append(p).append("\n").append("trap - EXIT\n").append("echo written\n");
        }
        byte[] stdin = f.after() == null ? null : f.after().getBytes(StandardCharsets.UTF_8);
        ExecResult r = c.exec(s.toString(), stdin, TIMEOUT);
        if (!r.ok()) throw new ApplyException("cannot " + (f.after() == null ? "remove " : "write ") + path + ": " + r.err().strip());
        String answer = r.out().strip();
        if (answer.equals("already")) return false;
        if (answer.equals("changed"))
            throw new ApplyException(path + " changed on the host since it was read ("
                    + (f.before() != null && !f.before().isEmpty() ? "its content is different now" : "it is there now") + "); nothing was written to it: run plan again");
        if (!answer.equals("written")) throw new ApplyException("cannot write " + path + ": unexpected answer '" + answer + "'");
        return true;
    }

    /** Changes mode, owner and group of an existing file without touching its content. */
    public static void setAttributes(Connection c, String path, String mode, String owner, String group) {
        checkPath(path);
        if (mode != null && !validMode(mode)) throw new SpecException("bad file mode '" + mode + "'");
        if (owner != null && !validAccount(owner)) throw new SpecException("bad owner name '" + owner + "'");
        if (group != null && !validAccount(group)) throw new SpecException("bad group name '" + group + "'");
        String p = Shell.quote(path);
        StringBuilder s = new StringBuilder("set -e\n");
        if (mode != null) s.append("chmod ").append(normalizeMode(mode)).append(' ').append(p).append('\n');
        if (owner != null || group != null)
            s.append("chown ").append(Shell.quote((owner == null ? "" : owner) + (group == null ? "" : ":" + group))).append(' ').append(p).append('\n');
        ExecResult r = c.exec(s.toString(), null, TIMEOUT);
        if (!r.ok()) throw new ApplyException("cannot set mode/owner of " + path + ": " + r.err().strip());
    }
}
