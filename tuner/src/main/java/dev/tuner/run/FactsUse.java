package dev.tuner.run;

import dev.tuner.playbook.Handler;
import dev.tuner.playbook.Play;
import dev.tuner.playbook.Task;
import dev.tuner.settings.registry.SettingKinds;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whether a play can read a host's facts. Gathering costs a host a second exec (and
 * systemd-detect-virt), so a play that cannot read them does not gather them, as if it said
 * {@code gather_facts: false}: no variable it sees, task value, condition or handler names
 * {@code facts} (or reaches the variables through FreeMarker's {@code .vars}, {@code .data_model}
 * or {@code .globals}), and no task is of a kind that reads facts itself (templates). The test is
 * on the text, so it errs on the side of gathering: a comment or a value that merely contains the
 * word gathers them too.
 */
final class FactsUse {
    private static final Pattern MENTION = Pattern.compile("facts|\\.\\s*(vars|data_model|globals)\\b");

    private FactsUse() {}

    static boolean needed(Play play, Target target, Map<String, Object> extraVars) {
        if (!play.gatherFacts()) return false;
        for (Task t : play.tasks()) {
            if (SettingKinds.get(t.kind()).map(k -> k.readsFacts()).orElse(true)) return true;
            if (mentions(t.spec()) || mentions(t.when()) || mentions(t.verify()) || mentions(t.options()) || mentions(t.name())) return true;
        }
        for (Handler h : play.handlers()) {
            if (mentions(h.name()) || mentions(h.service()) || mentions(h.state()) || mentions(h.listen())) return true;
        }
        return mentions(target.vars()) || mentions(play.vars()) || mentions(play.varsFromFiles()) || mentions(extraVars)
                || mentions(play.options());
    }

    private static boolean mentions(Object v) {
        if (v instanceof String s) return MENTION.matcher(s).find();
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) if (mentions(String.valueOf(e.getKey())) || mentions(e.getValue())) return true;
            return false;
        }
        if (v instanceof List<?> l) {
            for (Object o : l) if (mentions(o)) return true;
        }
        return false;
    }
}
