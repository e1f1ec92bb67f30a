package dev.tuner.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.KindPlan;
import dev.tuner.verify.VerificationResult;
import java.util.List;
import java.util.Map;

/**
 * One line of a host's journal. {@code before}: the plan with every current value and file
 * content, written before anything changes. {@code applied}: what one kind really changed.
 * {@code state}: how the host was left. Rollback replays {@code applied} events in reverse.
 * {@code design}: how the changes are measured (the design, the seed of the rounds' orders, the
 * controls, the budget), written before the first round. {@code toggle}: a round puts the host
 * in its state before or after the changes; the {@code applied} events that do it follow.
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
        Map<String, Object> detail) {

    public static final String BEFORE = "before";
    public static final String APPLIED = "applied";
    public static final String STATE = "state";
    public static final String VERIFIED = "verified";
    public static final String BENCH = "bench";
    /** Services a handler restarted or reloaded, as "name state": rollback does it again after restoring. */
    public static final String SERVICES = "services";
    public static final String DESIGN = "design";
    public static final String TOGGLE = "toggle";
}
