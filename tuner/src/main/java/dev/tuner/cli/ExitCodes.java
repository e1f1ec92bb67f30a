package dev.tuner.cli;

/** Exit codes shared by every command (documented in the README). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int CHANGES_PENDING = 2;
    public static final int REGRESSION = 3;

    private ExitCodes() {}
}
