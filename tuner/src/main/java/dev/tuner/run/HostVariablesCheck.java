package dev.tuner.run;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Location;
import dev.tuner.playbook.Play;
import dev.tuner.playbook.Task;
import dev.tuner.settings.SpecException;
import dev.tuner.settings.registry.SettingKinds;
import dev.tuner.template.Templater;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code validate -i} can know of a play on each host without connecting: every task's
 * {@code when} and values rendered with the variables that host gets (inventory, play vars,
 * vars_files, -e), as plan renders them, so an undefined variable or a value the kind refuses is
 * found before a run. Anything that reads {@code facts.*} waits for the host: it is left unchecked.
 */
public final class HostVariablesCheck {
    private static final Pattern FACTS = Pattern.compile("\\bfacts\\b");

    private final Templater templater = new Templater();
    /** Problem (where and what) → the hosts it was found on, so one mistake is one line for a fleet. */
    private final Map<Location, Map<String, List<String>>> found = new LinkedHashMap<>();

    /** Checks one play for one host. */
    public void check(Play play, Target target, Map<String, Object> extraVars) {
        Map<String, Object> vars = Variables.forHost(target, play.vars(), play.varsFromFiles(), extraVars, Map.of(), templater);
        for (Task t : play.tasks()) {
            try {
                if (t.when() != null && !FACTS.matcher(t.when()).find() && !templater.condition(t.when(), vars)) continue;
                if (containsFacts(t.spec())) {
                    renderLeaves(t.spec(), t.kind(), vars);
                } else {
                    Object spec = Variables.render(t.spec(), t.kind(), vars, templater);
                    SettingKinds.require(t.kind()).desired(t.index(), spec);
                }
            } catch (Templater.TemplateError | SpecException e) {
                found.computeIfAbsent(t.at(), k -> new LinkedHashMap<>())
                        .computeIfAbsent("task '" + t.label() + "': " + e.getMessage(), k -> new ArrayList<>()).add(target.name());
            }
        }
    }

    /** The problems found, each once with the hosts it concerns. */
    public void report(Diagnostics diags) {
        found.forEach((at, messages) -> messages.forEach((message, hosts) -> diags.error(at, message + " (on " + hostsInWords(hosts) + ")")));
    }

    private static String hostsInWords(List<String> hosts) {
        if (hosts.size() == 1) return "host " + hosts.get(0);
        if (hosts.size() <= 3) return "hosts " + String.join(", ", hosts);
        return "hosts " + String.join(", ", hosts.subList(0, 3)) + " and " + (hosts.size() - 3) + " more";
    }

    /** Renders each templated string that does not read facts, naming its path on failure. */
    private void renderLeaves(Object value, String path, Map<String, Object> vars) {
        if (value instanceof String s) {
            if (Templater.isTemplated(s) && !FACTS.matcher(s).find()) Variables.render(s, path, vars, templater);
        } else if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> renderLeaves(v, path + "." + k, vars));
        } else if (value instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) renderLeaves(l.get(i), path + "[" + i + "]", vars);
        }
    }

    private static boolean containsFacts(Object value) {
        if (value instanceof String s) return FACTS.matcher(s).find();
        if (value instanceof Map<?, ?> m) return m.keySet().stream().anyMatch(HostVariablesCheck::containsFacts)
                || m.values().stream().anyMatch(HostVariablesCheck::containsFacts);
        if (value instanceof List<?> l) return l.stream().anyMatch(HostVariablesCheck::containsFacts);
        return false;
    }
}
