package dev.tuner.settings.kit;

import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.Desired;
import dev.tuner.settings.KindPlan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Plans that change nothing because something is wrong for the whole of a kind's work on a host.
 * A file merged from several keys is written whole or not at all: half of what a playbook asked
 * for is not a state anyone reviewed.
 */
public final class Refusal {
    private Refusal() {}

    /**
     * Every wanted setting fails for the same reason (its file cannot be read or parsed, the
     * result would not be valid): nothing will be written.
     *
     * @param shown how the wanted value appears in the plan (a removal marker for a key to delete)
     */
    public static KindPlan failAll(String kind, Collection<Desired> wanted, Function<Desired, Cost> cost,
                                   Function<Desired, String> shown, String why) {
        return failAll(kind, wanted, cost, shown, why, List.of());
    }

    /** As {@link #failAll(String, Collection, Function, Function, String)}, keeping the notes the plan made so far. */
    public static KindPlan failAll(String kind, Collection<Desired> wanted, Function<Desired, Cost> cost,
                                   Function<Desired, String> shown, String why, List<String> notes) {
        List<Change> out = new ArrayList<>();
        for (Desired d : wanted)
            out.add(new Change(d.task(), kind, d.key(), null, shown.apply(d), null, ChangeState.FAILED, cost.apply(d), why));
        return new KindPlan(kind, out, List.of(), notes);
    }

    /**
     * The file that persists running values was not written after they were set (someone edited
     * it on the host since it was read, or the write failed), and the kind put those values back:
     * every change of the apply fails, saying why and what became of its running value, so the
     * host holds for this kind what it held before, and the journal says so.
     *
     * @param results the apply's changes so far (those that already failed keep their reason)
     * @param putBack keys whose running value was set and then put back
     * @param stuck   key → why its running value could not be put back (it keeps the new one)
     */
    public static List<Change> fileRefused(List<Change> results, String why, Set<String> putBack, Map<String, String> stuck) {
        List<Change> out = new ArrayList<>();
        for (Change c : results) {
            if (!c.isChange()) {
                out.add(c);
                continue;
            }
            String running = stuck.containsKey(c.key())
                    ? "; running value is still " + c.desired() + ": putting back " + c.current() + " failed: " + stuck.get(c.key())
                    : putBack.contains(c.key()) ? "; running value put back to " + c.current() : "";
            out.add(c.withState(ChangeState.FAILED, why + running));
        }
        return out;
    }

    /**
     * One bad setting refuses the whole file: each setting that would have changed fails too,
     * naming the first bad one and what is left as it was; no file is written.
     */
    public static KindPlan refuseWhole(String kind, List<Change> changes, String leftAsItIs, List<String> notes) {
        String bad = changes.stream().filter(c -> c.state() == ChangeState.FAILED).map(Change::key).findFirst().orElse("?");
        List<Change> out = new ArrayList<>();
        for (Change c : changes)
            out.add(c.isChange() ? c.withState(ChangeState.FAILED, "not written: '" + bad + "' is invalid, so " + leftAsItIs + " is left as it is") : c);
        return new KindPlan(kind, out, List.of(), notes);
    }
}
