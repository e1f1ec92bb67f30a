package dev.tuner.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Desired;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.Secrets;
import dev.tuner.verify.VerificationResult;
import java.util.List;
import java.util.Map;

/**
 * One line of a host's journal.
 * <ul>
 *   <li>{@code before}: the plans with every current value and the full content of every file,
 *       and the settings they were read for ({@code settings}, per kind), written before
 *       anything changes, and what output must hide of them ({@code hidden}, as
 *       {@link Secrets#hashes()});</li>
 *   <li>{@code started}: one kind's plan ({@code plans}, one entry) about to be applied, on disk
 *       before the kind touches the host. A {@code started} without its {@code applied} is a
 *       change that may have happened in part or in full;</li>
 *   <li>{@code applied}: what that kind really changed ({@code report});</li>
 *   <li>{@code state}: how the host was left; {@code verified}, {@code bench}, {@code services}.</li>
 * </ul>
 * {@code design}: how the changes are measured (the design, the seed of the rounds' orders, the
 * controls, the budget), written before the first round; {@code toggle}: a round puts the host in
 * its state before or after the changes, and the {@code started}/{@code applied} events that do it
 * follow. {@link HostChanges} reads a host's events back into what rollback restores.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalEvent(
        String event,
        String time,
        String host,
        String play,
        List<KindPlan> plans,
        String kind,
        ApplyReport report,
        String status,
        String message,
        List<VerificationResult> verification,
        List<Map<String, Object>> samples,
        List<String> services,
        Map<String, List<Desired>> settings,
        Map<String, Object> detail,
        List<String> hidden) {

    public JournalEvent(String event, String time, String host, String play, List<KindPlan> plans, String kind, ApplyReport report,
                        String status, String message, List<VerificationResult> verification, List<Map<String, Object>> samples,
                        List<String> services, Map<String, List<Desired>> settings, Map<String, Object> detail) {
        this(event, time, host, play, plans, kind, report, status, message, verification, samples, services, settings, detail, null);
    }

    /** What output must hide of what a host's events record: so a rollback hides what its run hid. */
    public static Secrets hidden(List<JournalEvent> events) {
        Secrets out = Secrets.NONE;
        for (JournalEvent e : events) if (e.hidden() != null) out = out.plus(Secrets.ofHashes(e.hidden()));
        return out;
    }

    public static final String BEFORE = "before";
    public static final String STARTED = "started";
    public static final String APPLIED = "applied";
    public static final String STATE = "state";
    public static final String VERIFIED = "verified";
    public static final String BENCH = "bench";
    /** Services a handler restarted or reloaded, as "name state": rollback does it again after restoring. */
    public static final String SERVICES = "services";

    /** The {@code state} status of a host a rollback restored completely (or found already as before). */
    public static final String STATE_OK = "ok";
    public static final String DESIGN = "design";
    public static final String TOGGLE = "toggle";
}
