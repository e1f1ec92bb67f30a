package dev.tuner.inventory;

import dev.tuner.diag.Suggest;
import dev.tuner.diag.TunerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The tree {@code ansible-inventory --graph [--vars]} prints: '@group:' lines, hosts below, '{name = value}' vars. */
final class InventoryGraph {
    private InventoryGraph() {}

    static String graph(Inventory inv, String start, boolean withVars) {
        Group g = inv.groups().get(start);
        if (g == null) {
            throw new TunerException("--graph needs a group name; '" + start + "' is not a group"
                    + Suggest.didYouMean(start, inv.groups().keySet()));
        }
        List<String> lines = new ArrayList<>();
        group(inv, g, 0, withVars, lines);
        return String.join("\n", lines);
    }

    private static void group(Inventory inv, Group g, int depth, boolean withVars, List<String> out) {
        out.add(name("@" + g.name() + ":", depth));
        for (String child : g.children()) group(inv, inv.groups().get(child), depth + 1, withVars, out);
        if (!g.name().equals("all")) {
            for (String h : g.hosts()) {
                out.add(name(h, depth + 1));
                if (withVars) vars(inv.host(h).orElseThrow().vars(), depth + 2, out);
            }
        }
        if (withVars) vars(g.vars(), depth + 1, out);
    }

    private static void vars(Map<String, Object> vars, int depth, List<String> out) {
        for (Map.Entry<String, Object> e : new TreeMap<>(vars).entrySet()) {
            out.add(name("{" + e.getKey() + " = " + PythonRepr.str(e.getValue()) + "}", depth));
        }
    }

    private static String name(String text, int depth) {
        return depth == 0 ? text : "  |".repeat(depth) + "--" + text;
    }
}
