package dev.tuner.journal;

import dev.tuner.diag.TunerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A journal holds full copies of files that may be secret: its directories are 0700 and its files
 * 0600, from the moment they exist (never created open and tightened afterwards).
 */
final class JournalFiles {
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIR = PosixFilePermissions.asFileAttribute(DIR_MODE);

    private JournalFiles() {}

    /**
     * Creates {@code dir} and any missing parent below {@code root} as 0700 (an existing one keeps
     * its mode, except that {@code dir} itself is made 0700); {@code root} itself is created 0700 when missing.
     */
    static void privateDirs(Path root, Path dir) {
        try {
            if (!Files.isDirectory(root)) {
                if (root.getParent() != null) Files.createDirectories(root.getParent());
                mkdir(root);
            }
            Path rel = root.relativize(dir);
            Path p = root;
            for (Path part : rel) {
                p = p.resolve(part);
                if (!Files.isDirectory(p)) mkdir(p);
            }
            if (!Files.getPosixFilePermissions(dir).equals(DIR_MODE)) Files.setPosixFilePermissions(dir, DIR_MODE);
        } catch (IOException e) {
            throw new TunerException("cannot create journal directory " + dir + ": " + e.getMessage());
        }
    }

    private static void mkdir(Path p) throws IOException {
        try {
            Files.createDirectory(p, PRIVATE_DIR);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(p)) throw e;
        }
        // The umask only takes bits away; this makes it exactly 0700 whatever it was.
        Files.setPosixFilePermissions(p, DIR_MODE);
    }
}
