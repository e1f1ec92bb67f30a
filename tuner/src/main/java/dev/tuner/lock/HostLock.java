package dev.tuner.lock;

import dev.tuner.diag.TunerException;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.Shell;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The lock on one host, kept on the host itself so that controllers on different machines see
 * each other: a directory ({@value #DEFAULT_DIR}, or the host variable {@value #DIR_VAR}) that
 * {@code mkdir} creates atomically, with the holder's {@link LockOwner} record in its file
 * {@code owner}. It lives under /run, so a reboot clears it; a controller that is killed leaves it
 * behind, naming a process that is gone, which is how a stale lock is recognised.
 *
 * <p>Every operation is one command on the host's connection.
 */
public final class HostLock {
    public static final String DIR_VAR = "tuner_lock_dir";
    public static final String DEFAULT_DIR = "/run/tuner/lock";
    private static final Duration LIMIT = Duration.ofSeconds(60);
    /** How many times, a tenth of a second apart, a lock without an owner record is looked at again. */
    private static final int OWNERLESS_TRIES = 30;

    private HostLock() {}

    /**
     * What one attempt to take the lock found: taken by us, or held by {@code holder} (null: it has
     * no owner record), whose record reads {@code text}.
     */
    public record Attempt(boolean taken, LockOwner holder, String text) {}

    /** The lock directory for a host with these variables. */
    public static String dirOf(Map<String, Object> hostVars) {
        Object v = hostVars.get(DIR_VAR);
        String dir = v == null ? DEFAULT_DIR : String.valueOf(v).strip();
        if (!dir.startsWith("/") || dir.equals("/") || dir.endsWith("/") || dir.contains("/../") || dir.endsWith("/..")) {
            throw new TunerException(DIR_VAR + " must be an absolute path to a directory that does not exist yet, not '" + dir + "'");
        }
        return dir;
    }

    /**
     * Takes the lock if it is free; a lock that names {@code me} already counts as taken.
     *
     * <p>A holder writes its owner record just after creating the directory and removes it just
     * before removing the directory. A lock found without a record is looked at again every tenth
     * of a second, {@value #OWNERLESS_TRIES} times at most: a run caught in that moment, taking or
     * releasing, is then named (or gone, and the lock taken), rather than reported as a lock its
     * holder died taking, which only {@code unlock --force} clears.
     */
    public static Attempt tryTake(Connection c, String dir, LockOwner me) {
        String script = "LC_ALL=C; export LC_ALL\n"
                + "l=" + Shell.quote(dir) + "\n"
                + "n=0\n"
                + "while :; do\n"
                + "  if e=$(mkdir -p -- \"${l%/*}\" 2>&1 && mkdir -- \"$l\" 2>&1); then\n"
                + "    if cat > \"$l/owner.new\" && mv -f -- \"$l/owner.new\" \"$l/owner\"; then echo taken; exit 0; fi\n"
                + "    rm -rf -- \"$l\"; echo \"error cannot write $l/owner\"; exit 0\n"
                + "  fi\n"
                + "  case $e in *'File exists'*) ;; *) echo \"error $e\"; exit 0 ;; esac\n"
                + "  if o=$(cat -- \"$l/owner\" 2>/dev/null) && [ -n \"$o\" ]; then echo held; printf '%s\\n' \"$o\"; exit 0; fi\n"
                + "  [ $n -lt " + OWNERLESS_TRIES + " ] || { echo held; exit 0; }\n"
                + "  n=$((n + 1)); sleep 0.1 2>/dev/null || sleep 1\n"
                + "done\n";
        ExecResult r = c.exec(script, me.text().getBytes(StandardCharsets.UTF_8), LIMIT);
        String out = r.out();
        if (out.startsWith("taken")) return new Attempt(true, me, me.text());
        if (out.startsWith("held")) {
            String owner = out.substring(out.indexOf('\n') + 1);
            LockOwner holder = owner.isBlank() ? null : LockOwner.parse(owner);
            return new Attempt(me.sameHolder(holder), holder, owner);
        }
        throw new TunerException("cannot take the lock " + dir + " on " + c.hostName() + ": "
                + (out.startsWith("error ") ? out.substring(6).strip() : "exit " + r.exitCode() + " " + r.err().strip())
                + " (" + DIR_VAR + " names another directory; with a user other than root, use become)");
    }

    /** A lock found on a host: its owner record as stored (empty when it has none). */
    public record Held(String text) {
        /** The holder, or null when the lock has no owner record. */
        public LockOwner owner() {
            return text.isBlank() ? null : LockOwner.parse(text);
        }
    }

    /** The lock on the host: empty when it is not locked. */
    public static Optional<Held> read(Connection c, String dir) {
        String script = "l=" + Shell.quote(dir) + "\n"
                + "if [ -d \"$l\" ]; then echo held; cat -- \"$l/owner\" 2>/dev/null; else echo free; fi\n";
        ExecResult r = c.exec(script, null, LIMIT);
        String out = r.out();
        if (out.startsWith("free")) return Optional.empty();
        if (!out.startsWith("held")) throw new TunerException("cannot read the lock " + dir + " on " + c.hostName() + ": exit "
                + r.exitCode() + " " + r.err().strip());
        return Optional.of(new Held(out.substring(out.indexOf('\n') + 1)));
    }

    /** What {@link #remove} did. */
    public enum Removal { REMOVED, ABSENT, OTHER_HOLDER }

    /**
     * Removes the lock only if its owner record is still exactly {@code expectedText} (an empty
     * one matches a lock without a record): a lock another run took in the meantime stays.
     */
    public static Removal remove(Connection c, String dir, String expectedText) {
        String script = "l=" + Shell.quote(dir) + "\n"
                + "[ -d \"$l\" ] || { echo absent; exit 0; }\n"
                + "cur=$(cat -- \"$l/owner\" 2>/dev/null); want=$(cat)\n"
                + "if [ \"$cur\" != \"$want\" ]; then echo other; exit 0; fi\n"
                + "if e=$(rm -f -- \"$l/owner\" \"$l/owner.new\" 2>&1 && rmdir -- \"$l\" 2>&1); then echo removed; else echo \"error $e\"; fi\n";
        ExecResult r = c.exec(script, expectedText.getBytes(StandardCharsets.UTF_8), LIMIT);
        String out = r.out().strip();
        return switch (out) {
            case "removed" -> Removal.REMOVED;
            case "absent" -> Removal.ABSENT;
            case "other" -> Removal.OTHER_HOLDER;
            default -> throw new TunerException("cannot remove the lock " + dir + " on " + c.hostName() + ": "
                    + (out.startsWith("error ") ? out.substring(6) : "exit " + r.exitCode() + " " + r.err().strip()));
        };
    }
}
