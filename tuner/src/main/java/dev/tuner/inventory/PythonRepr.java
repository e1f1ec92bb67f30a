package dev.tuner.inventory;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Python's str() and repr() of plain values, because ansible-inventory --graph --vars prints them that way. */
final class PythonRepr {
    private PythonRepr() {}

    static String str(Object v) {
        return v instanceof String s ? s : repr(v);
    }

    static String repr(Object v) {
        if (v == null) return "None";
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof String s) return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
        if (v instanceof Double d) {
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e16) return String.valueOf(d.longValue()) + ".0";
            return String.valueOf(d);
        }
        if (v instanceof List<?> l) return l.stream().map(PythonRepr::repr).collect(Collectors.joining(", ", "[", "]"));
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> repr(e.getKey()) + ": " + repr(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(v);
    }
}
