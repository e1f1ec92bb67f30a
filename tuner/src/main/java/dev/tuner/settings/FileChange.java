package dev.tuner.settings;

/**
 * A file a kind owns or merges into. {@code before} is null when the file does not exist;
 * {@code after} null means the file is to be removed. Contents are text; the journal keeps
 * {@code before} so rollback can restore it byte for byte.
 */
public record FileChange(int task, String path, String before, String after, String mode) {
    public boolean changes() {
        return before == null ? after != null : !before.equals(after);
    }
}
