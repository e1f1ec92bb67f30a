package dev.tuner.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.Secrets;
import dev.tuner.verify.VerificationResult;
import java.util.List;
import java.util.Map;

/**
 * One line of a host's journal. {@code before}: the plan with every current value and file
 * content, written before anything changes, and what output must hide of it ({@code hidden}, as
 * {@link Secrets#hashes()}). {@code applied}: what one kind really changed. {@code state}: how the
 * host was left. Rollback replays {@code applied} events in reverse.
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
        List<String> hidden) {

    public JournalEvent(String event, String time, String host, String play, List<KindPlan> plans, String kind, ApplyReport report,
                        String status, String message, List<VerificationResult> verification, List<Map<String, Object>> samples,
                        List<String> services) {
        this(event, time, host, play, plans, kind, report, status, message, verification, samples, services, null);
    }

    /** What output must hide of what a host's events record: so a rollback hides what its run hid. */
    public static Secrets hidden(List<JournalEvent> events) {
        Secrets out = Secrets.NONE;
        for (JournalEvent e : events) if (e.hidden() != null) out = out.plus(Secrets.ofHashes(e.hidden()));
        return out;
    }

    public static final String BEFORE = "before";
    public static final String APPLIED = "applied";
    public static final String STATE = "state";
    public static final String VERIFIED = "verified";
    public static final String BENCH = "bench";
    /** Services a handler restarted or reloaded, as "name state": rollback does it again after restoring. */
    public static final String SERVICES = "services";
}
