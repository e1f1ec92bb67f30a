package dev.tuner.testing;

import java.nio.file.Path;
import java.util.List;

/**
 * A journal on a full disk, for one tuner process ({@link TunerProcess#startIn}): the process runs
 * in a mount namespace of its own, where a small tmpfs mounted over a directory holds a copy of a
 * journal and a file that takes every byte left, so the tool's next write to the journal fails
 * with ENOSPC as on a real full disk. Nothing of it exists outside that process: the tmpfs goes
 * with the namespace when the process ends, and the original journal is left as it was. Needs
 * root, as the lab hosts do.
 */
public final class FullDisk {
    /** Where the copy of the journal is, inside the mount point. */
    public static final String JOURNAL = "journal";

    private static final String SCRIPT = String.join("\n",
            "set -e",
            "mount -t tmpfs -o size=256k,mode=0700 tuner-full-disk \"$1\"",
            "cp -a \"$2\" \"$1/" + JOURNAL + "\"",
            "free=$(( $(stat -f -c '%a * %S' \"$1\") ))",
            "[ \"$free\" -eq 0 ] || fallocate -l \"$free\" \"$1/filler\"",
            "[ \"$(stat -f -c %a \"$1\")\" = 0 ] || { echo \"the tmpfs on $1 still has room\" >&2; exit 99; }",
            "shift 2",
            "exec \"$@\"");

    private FullDisk() {}

    /**
     * The wrapper for {@link TunerProcess#startIn}: the tool then finds {@code journal}'s copy at
     * {@code mountPoint/journal}, on a file system without a free byte.
     *
     * @param mountPoint an existing empty directory; in the process's namespace a tmpfs covers it
     */
    public static List<String> wrapper(Path mountPoint, Path journal) {
        return List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", SCRIPT, "full-disk",
                mountPoint.toString(), journal.toString());
    }
}
