package dev.tuner.yaml;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Location;
import dev.tuner.diag.Utf8Text;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one way files a user names are read: playbooks, inventories, variables files, templates,
 * benchmark definitions. Only regular files, at most {@link #MAX_BYTES}, in UTF-8 (a byte that is
 * not is named by line and column, see {@link Utf8Text}). Anything else is refused with what it
 * is, before it is opened: a named pipe would block the run until someone writes to it, and a
 * device like {@code /dev/zero} never ends.
 */
public final class InputFile {
    /** The largest input file: far beyond any real playbook or inventory, far below the heap. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    /** Why a file cannot be read, in words that follow its name ("playbook is a directory, not a file"). */
    public static final class Unreadable extends IOException {
        private final Utf8Text.MalformedException notUtf8;

        Unreadable(String message) {
            this(message, null);
        }

        Unreadable(String message, Utf8Text.MalformedException notUtf8) {
            super(message);
            this.notUtf8 = notUtf8;
        }

        /** Where the problem is: the line and column of the first byte that is not UTF-8, else the file itself. */
        public Location at(String file) {
            return notUtf8 != null ? notUtf8.at(file) : Location.of(file);
        }
    }

    private InputFile() {}

    /** The text of {@code path}, or null after reporting why not at {@code display}; {@code what} names it ("playbook"). */
    public static String read(Path path, String display, String what, Diagnostics diags) {
        try {
            return read(path, what);
        } catch (Unreadable e) {
            diags.error(e.at(display), e.getMessage());
            return null;
        }
    }

    /** The text of {@code path}; {@code what} names it in the message of {@link Unreadable}. */
    public static String read(Path path, String what) throws Unreadable {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new Unreadable(what + " not found");
        } catch (IOException e) {
            throw new Unreadable("cannot read " + what + ": " + reason(e));
        }
        if (attrs.isDirectory()) throw new Unreadable(what + " is a directory, not a file");
        if (!attrs.isRegularFile()) {
            throw new Unreadable(what + " is " + special(path) + ", not a regular file: tuner reads only regular files"
                    + " (a pipe would wait for a writer, a device may never end)");
        }
        if (attrs.size() > MAX_BYTES) throw new Unreadable(tooLarge(what, attrs.size()));
        byte[] bytes;
        // Bounded even for a regular file: files under /proc say size 0 and a file can grow while read.
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new Unreadable("cannot read " + what + ": " + reason(e));
        }
        if (bytes.length > MAX_BYTES) throw new Unreadable(tooLarge(what, -1));
        try {
            return Utf8Text.decode(bytes);
        } catch (Utf8Text.MalformedException e) {
            throw new Unreadable("cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    private static String tooLarge(String what, long size) {
        return what + " is larger than " + MAX_BYTES / (1024 * 1024) + " MiB" + (size >= 0 ? " (" + size + " bytes)" : "")
                + ", the most tuner reads from one file";
    }

    /** What a file that is neither a directory nor a regular file is, from its type bits. */
    private static String special(Path path) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "not a regular file";
        }
        return switch (mode & 0170000) {
            case 0010000 -> "a named pipe (FIFO)";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0140000 -> "a socket";
            default -> "a special file";
        };
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
