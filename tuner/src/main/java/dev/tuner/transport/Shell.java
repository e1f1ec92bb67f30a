package dev.tuner.transport;

/** Quoting for the POSIX shell: every value that reaches a remote shell goes through here. */
public final class Shell {
    private Shell() {}

    /** Single-quotes a string so that the shell passes it through as one literal word. */
    public static String quote(String s) {
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("NUL byte in shell argument");
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }
}
