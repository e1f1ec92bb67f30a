package dev.tuner.settings.kit;

/**
 * The notice at the top of every file tuner owns or renders, so someone editing it on the host
 * learns that the next apply will put it back. One text for all kinds; templates get it as the
 * variable {@code tuner_managed}.
 */
public final class ManagedHeader {
    /** The notice without comment syntax (a template's {@code tuner_managed} variable). */
    public static final String TEXT = "Managed by tuner: rewritten on every apply; change the playbook instead.";

    private ManagedHeader() {}

    /** The notice as a comment line of a file whose comments start with {@code #}, newline included. */
    public static String hashComment() {
        return "# " + TEXT + "\n";
    }
}
