package dev.tuner.testing;

import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for a test whose real peer (sshd, lab hosts, vcsim, pyVmomi, Ansible, containerd)
 * cannot run on this machine: on a developer's machine the test is skipped, saying why; in CI it
 * fails, because CI must never go green by skipping the tests that matter.
 *
 * <pre>{@code
 * Peers.require("sshd", TestSshd.unavailable());   // null: available, go on
 * }</pre>
 */
public final class Peers {
    /** Values of {@code CI} that mean "not CI"; any other non-empty value (true, TRUE, 1, yes, woodpecker) is CI. */
    private static final Set<String> NOT_CI = Set.of("", "false", "0", "no", "off");

    private Peers() {}

    /**
     * Returns when {@code whyUnavailable} is null. Otherwise skips the calling test with
     * "PEER unavailable: WHY", or fails it with that message when the environment says CI.
     */
    public static void require(String peer, String whyUnavailable) {
        require(peer, whyUnavailable, System.getenv("CI"));
    }

    /** {@link #require(String, String)} with the value of {@code CI} given (null: unset). */
    public static void require(String peer, String whyUnavailable, String ciVariable) {
        if (whyUnavailable == null) return;
        String message = peer + " unavailable: " + whyUnavailable;
        if (isCi(ciVariable)) throw new AssertionError(message + " (CI=" + ciVariable + ": CI must run this test, not skip it)");
        Assumptions.abort(message);
    }

    /** Whether a value of the {@code CI} environment variable means a CI run: set, and not empty, false, 0, no or off (any case). */
    public static boolean isCi(String ciVariable) {
        return ciVariable != null && !NOT_CI.contains(ciVariable.strip().toLowerCase(Locale.ROOT));
    }
}
