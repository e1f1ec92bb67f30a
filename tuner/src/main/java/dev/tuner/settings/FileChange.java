package dev.tuner.settings;

/**
 * A file a kind owns or merges into. {@code before} is null when the file does not exist;
 * {@code after} null means the file is to be removed. Contents are text; the journal keeps
 * {@code before} so rollback can restore it byte for byte. {@code mode} is the mode to give the
 * file (null: keep its mode, 0644 for a new one); {@code currentMode} the mode it has on the host,
 * where the kind read it (null: not read, or no file).
 */
public record FileChange(int task, String path, String before, String after, String mode, String currentMode) {
    public FileChange(int task, String path, String before, String after, String mode) {
        this(task, path, before, after, mode, null);
    }

    public boolean changes() {
        return before == null ? after != null : !before.equals(after);
    }

    /** False when the mode it has or gets denies other users reading it: its contents are then secrets (see {@link Secrets}). */
    public boolean readableByAll() {
        return othersRead(mode) && othersRead(currentMode);
    }

    private static boolean othersRead(String octal) {
        if (octal == null || octal.isEmpty()) return true;
        char others = octal.charAt(octal.length() - 1);
        return others < '0' || others > '7' || ((others - '0') & 4) != 0;
    }
}
