package dev.tuner.run;

import dev.tuner.playbook.Handler;
import dev.tuner.playbook.Play;
import dev.tuner.playbook.Task;
import dev.tuner.playbook.VerifyKeys;
import dev.tuner.settings.Change;
import dev.tuner.settings.Cost;
import dev.tuner.settings.KindPlan;
import dev.tuner.verify.Design;
import java.util.List;
import java.util.Map;

/**
 * How one host's changes are measured, and why. In order of preference:
 * <ol>
 *   <li>{@link Design#INTERLEAVED} when every change can be undone and redone cheaply: its cost is
 *       {@code live} or {@code reload} (the handlers it notifies only reload), or {@code restart}
 *       where the play says {@code verify: {toggle_restarts: true}}. A power cycle or a change
 *       that waits for the next boot is never toggled. Controls, when there are any, are measured
 *       beside it as a guard;</li>
 *   <li>{@link Design#CONTROL} when the change cannot be toggled but control hosts are there;</li>
 *   <li>{@link Design#BEFORE_AFTER} otherwise, saying that an environment shift between the phases
 *       cannot be ruled out.</li>
 * </ol>
 * {@code verify: {design: ...}} asks for one; when the host's changes do not allow it, the next
 * one that does is used, and the note says why.
 *
 * @param controls the control hosts measured beside this host (none for before-after)
 */
record DesignChoice(Design design, String why, List<Target> controls) {

    /** What toggling a host's changes costs, and the change or handler that costs the most. */
    record ToggleCost(Cost cost, String what) {}

    static DesignChoice choose(Map<String, KindPlan> plans, Play play, List<Target> available, String unmatchedPattern) {
        Map<?, ?> spec = VerifyKeys.of(play);
        String asked = VerifyKeys.text(spec, VerifyKeys.DESIGN);
        if (asked == null) asked = VerifyKeys.AUTO;
        boolean restarts = VerifyKeys.yes(spec, VerifyKeys.TOGGLE_RESTARTS);
        ToggleCost cost = toggleCost(plans, play);
        boolean toggleable = cost.cost().ordinal() <= Cost.RELOAD.ordinal() || cost.cost() == Cost.RESTART && restarts;
        String noControl = unmatchedPattern != null ? "the control pattern '" + unmatchedPattern + "' matches no host outside this batch"
                : "no control host (verify: {control: PATTERN}, or serial batches)";
        String cannotToggle = cost.what() + (cost.cost() == Cost.RESTART ? " (verify: {toggle_restarts: true} allows toggling it)" : "");
        String controlsWord = available.isEmpty() ? "" : "; " + names(available) + " measured beside it at the same moments";
        String beforeAfter = Verification.BEFORE_AFTER_ONLY;

        if (asked.equals(Design.BEFORE_AFTER.label())) return new DesignChoice(Design.BEFORE_AFTER, beforeAfter + " (design: before-after)", List.of());
        if (asked.equals(Design.CONTROL.label()) || !toggleable) {
            String whyNotToggled = asked.equals(Design.CONTROL.label()) ? "design: control" : cannotToggle;
            String askedButNot = asked.equals(Design.INTERLEAVED.label()) ? "design: interleaved was asked, but " : "";
            if (!available.isEmpty()) {
                return new DesignChoice(Design.CONTROL, askedButNot + "not toggled: " + whyNotToggled + controlsWord, available);
            }
            return new DesignChoice(Design.BEFORE_AFTER, askedButNot + beforeAfter + " (not toggled: " + whyNotToggled + "; " + noControl + ")",
                    List.of());
        }
        String how = cost.cost() == Cost.RESTART ? "restarts (toggle_restarts)" : cost.cost() == Cost.RELOAD ? "reloads" : "live changes";
        return new DesignChoice(Design.INTERLEAVED, "the changes are toggled in rounds: " + how + controlsWord, available);
    }

    /** The highest cost among the changes and the handlers the changing tasks notify. */
    static ToggleCost toggleCost(Map<String, KindPlan> plans, Play play) {
        Cost worst = Cost.NONE;
        String what = "nothing to toggle";
        for (KindPlan p : plans.values()) {
            for (Change c : p.changes()) {
                if (!c.isChange() || c.cost().ordinal() <= worst.ordinal()) continue;
                worst = c.cost();
                what = p.kind() + " " + c.key() + " costs a " + c.cost().label();
            }
        }
        for (Task t : play.tasks()) {
            boolean changes = plans.values().stream().anyMatch(p -> p.changes().stream().anyMatch(c -> c.task() == t.index() && c.isChange())
                    || p.files().stream().anyMatch(f -> f.task() == t.index() && f.changes()));
            if (!changes) continue;
            for (Handler h : play.handlers()) {
                if (t.notifies().stream().noneMatch(h::answers)) continue;
                Cost c = h.state().equals("reloaded") ? Cost.RELOAD : Cost.RESTART;
                if (c.ordinal() <= worst.ordinal()) continue;
                worst = c;
                what = "handler '" + h.name() + "' " + (c == Cost.RELOAD ? "reloads" : "restarts") + " " + h.service();
            }
        }
        return new ToggleCost(worst, what);
    }

    private static String names(List<Target> ts) {
        return String.join(", ", ts.stream().map(Target::name).toList());
    }
}
