package dev.tuner.settings.files;

import dev.tuner.settings.ApplyException;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.RemoteFiles;
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
 * Writes the files of a plan exactly as planned (byte for byte, so an inverse plan restores the
 * previous content), but only over the content the plan was made from: a file someone edited
 * between plan and apply is refused rather than overwritten, and a file that already holds the
 * planned content is left alone. Both rules make a rollback or a revert after a partial apply safe
 * to run twice.
 */
public final class FileWrites {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** POSIX user/group names (as useradd accepts them) or numeric ids: nothing a shell could interpret. */
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}\\$?|[0-9]{1,10}");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");

    private FileWrites() {}

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

    /** Applies every changing file of a plan; returns those actually written (the rest already matched). */
    public static List<FileChange> apply(Connection c, List<FileChange> files) {
        List<FileChange> written = new ArrayList<>();
        for (FileChange f : files) {
            if (!f.changes()) continue;
            if (!guard(c, f)) continue;
            RemoteFiles.restore(c, f.path(), f.after(), f.mode());
            written.add(f);
        }
        return written;
    }

    /**
     * True when the file must be written: it still holds {@code before}. False when it already
     * holds {@code after}. Throws when it holds anything else.
     */
    public static boolean guard(Connection c, FileChange f) {
        String now = hash(c, f.path());
        if (same(now, f.after())) return false;
        if (same(now, f.before())) return true;
        throw new ApplyException(f.path() + " changed on the host since it was read ("
                + (now == null ? "it was removed" : "its content is different now")
                + "); nothing was written to it: run plan again");
    }

    private static boolean same(String hostHash, String content) {
        if (content == null) return hostHash == null;
        return hostHash != null && hostHash.equals(sha256(content));
    }

    /** SHA-256 of the file on the host, or null if it does not exist. */
    static String hash(Connection c, String path) {
        RemoteFiles.checkPath(path);
        String p = Shell.quote(path);
        ExecResult r = c.exec("if [ -e " + p + " ]; then sha256sum < " + p + "; else echo missing; fi", null, TIMEOUT);
        if (!r.ok()) throw new ApplyException("cannot read " + path + ": " + r.err().strip());
        String out = r.out().strip();
        if (out.equals("missing")) return null;
        return out.split("\\s+")[0];
    }

    public static String sha256(String content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code content} atomically (temp file in the same directory, then rename) with the
     * given mode, owner and group set on the temp file before the rename, so the file never
     * exists with the wrong permissions. Null mode/owner/group keep the existing file's (or
     * 0644/root for a new file).
     */
    public static void write(Connection c, String path, String content, String mode, String owner, String group) {
        RemoteFiles.checkPath(path);
        // Plans can come back from a journal file: check again whatever reaches the shell.
        if (mode != null && !validMode(mode)) throw new SpecException("bad file mode '" + mode + "'");
        if (owner != null && !validAccount(owner)) throw new SpecException("bad owner name '" + owner + "'");
        if (group != null && !validAccount(group)) throw new SpecException("bad group name '" + group + "'");
        String p = Shell.quote(path);
        StringBuilder s = new StringBuilder("set -e\n")
                .append("d=$(dirname -- ").append(p).append(")\n")
                .append("mkdir -p -- \"$d\"\n")
                .append("t=$(mktemp \"$d/.tuner.XXXXXX\")\n")
                .append("trap 'rm -f -- \"$t\"' EXIT\n")
                .append("cat > \"$t\"\n")
                .append("if [ -e ").append(p).append(" ]; then chmod --reference=").append(p)
                .append(" \"$t\"; chown --reference=").append(p).append(" \"$t\" 2>/dev/null || true; else chmod 0644 \"$t\"; fi\n");
        if (mode != null) s.append("chmod ").append(normalizeMode(mode)).append(" \"$t\"\n");
        if (owner != null || group != null)
            s.append("chown ").append(Shell.quote((owner == null ? "" : owner) + (group == null ? "" : ":" + group))).append(" \"$t\"\n");
        s.append("mv -f -- \"$t\" ").append(p).append("\n").append("trap - EXIT\n");
        ExecResult r = c.exec(s.toString(), content.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        if (!r.ok()) throw new ApplyException("cannot write " + path + ": " + r.err().strip());
    }

    /** Changes mode, owner and group of an existing file without touching its content. */
    public static void setAttributes(Connection c, String path, String mode, String owner, String group) {
        RemoteFiles.checkPath(path);
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
