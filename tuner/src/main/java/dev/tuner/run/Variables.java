package dev.tuner.run;

import dev.tuner.template.Templater;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host's variables for one play, lowest to highest precedence: inventory (group then host vars,
 * already merged by the inventory), play vars, vars_files, extra vars; plus {@code facts},
 * {@code inventory_hostname} and {@code group_names}. Variables that refer to other variables are
 * resolved here, in as many passes as their nesting needs.
 */
final class Variables {
    private Variables() {}

    static Map<String, Object> forHost(Target target, Map<String, Object> playVars, Map<String, Object> varsFiles,
                                       Map<String, Object> extraVars, Map<String, Object> facts, Templater templater) {
        Map<String, Object> vars = new LinkedHashMap<>(target.vars());
        vars.putAll(playVars);
        vars.putAll(varsFiles);
        vars.putAll(extraVars);
        vars.put("inventory_hostname", target.name());
        vars.put("group_names", target.groups());
        vars.put("facts", facts == null ? Map.of() : facts);
        return resolve(vars, templater);
    }

    /** Resolves templated variables in passes; one that can never resolve keeps its text and fails where it is used. */
    static Map<String, Object> resolve(Map<String, Object> vars, Templater templater) {
        Map<String, Object> out = new LinkedHashMap<>(vars);
        List<String> pending = new ArrayList<>();
        out.forEach((k, v) -> {
            if (containsTemplate(v)) pending.add(k);
        });
        for (int pass = 0; pass < 10 && !pending.isEmpty(); pass++) {
            boolean progress = false;
            for (String k : new ArrayList<>(pending)) {
                try {
                    Object r = templater.renderDeep(out.get(k), out);
                    out.put(k, r);
                    pending.remove(k);
                    progress = true;
                } catch (Templater.TemplateError e) {
                    // depends on a variable not resolved yet, or undefined: try again next pass
                }
            }
            if (!progress) break;
        }
        return out;
    }

    static boolean containsTemplate(Object v) {
        return Templater.isTemplatedDeep(v);
    }

    /** Renders a task's value; an error names the path of the key inside it, e.g. sysctl.vm.swappiness. */
    static Object render(Object value, String path, Map<String, Object> vars, Templater templater) {
        if (value instanceof String s) {
            try {
                return templater.render(s, vars);
            } catch (Templater.TemplateError e) {
                throw new Templater.TemplateError(path + ": " + e.getMessage());
            }
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                String renderedKey = String.valueOf(render(key, path + "." + key, vars, templater));
                out.put(renderedKey, render(e.getValue(), path + "." + key, vars, templater));
            }
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) out.add(render(l.get(i), path + "[" + i + "]", vars, templater));
            return out;
        }
        return value;
    }
}
