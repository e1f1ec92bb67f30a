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

    /**
     * The file at {@code path} as the read script found it ({@code now}: its bytes and mode, or
     * missing), to become {@code after}: how every kind makes the changes of the files it read,
     * so each knows the mode the file has.
     */
    public static FileChange of(int task, String path, ReadOutput.Entry now, String after, String mode) {
        return now.ok() ? new FileChange(task, path, now.text(), after, mode, now.mode()) : new FileChange(task, path, null, after, mode, null);
    }

    /** The same file going from {@code before} to {@code after} instead, with the same modes. */
    public FileChange withContents(String before, String after) {
        return new FileChange(task, path, before, after, mode, currentMode);
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
