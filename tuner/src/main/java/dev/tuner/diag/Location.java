package dev.tuner.diag;

/** A place in a source file, 1-based, as editors and compilers print it. */
public record Location(String file, int line, int column) {
    public static Location of(String file) {
        return new Location(file, 0, 0);
    }

    @Override
    public String toString() {
        if (line <= 0) return file;
        return file + ":" + line + ":" + column;
    }
}
