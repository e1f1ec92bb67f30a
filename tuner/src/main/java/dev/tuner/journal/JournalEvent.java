package dev.tuner.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.KindPlan;
import java.util.List;

/**
 * One line of a host's journal. {@code before}: the plan with every current value and file
 * content, written before anything changes. {@code applied}: what one kind really changed.
 * {@code state}: how the host was left. Rollback replays {@code applied} events in reverse.
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
        String message) {

    public static final String BEFORE = "before";
    public static final String APPLIED = "applied";
    public static final String STATE = "state";
}
