package dev.tuner.settings.governor;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** CPU lists as the kernel writes them: "0-3,8,10-11". */
final class CpuList {
    private CpuList() {}

    static TreeSet<Integer> parse(String spec) {
        TreeSet<Integer> cpus = new TreeSet<>();
        for (String part : spec.replace(" ", "").split(",")) {
            if (part.isEmpty()) continue;
            if (!part.matches("\\d+(-\\d+)?")) throw new IllegalArgumentException("bad CPU list '" + spec + "': expected e.g. 0-7,12");
            String[] ab = part.split("-");
            int a = Integer.parseInt(ab[0]);
            int b = ab.length > 1 ? Integer.parseInt(ab[1]) : a;
            if (b < a) throw new IllegalArgumentException("bad CPU range '" + part + "'");
            if (b - a > 65536) throw new IllegalArgumentException("CPU range too large '" + part + "'");
            for (int i = a; i <= b; i++) cpus.add(i);
        }
        if (cpus.isEmpty()) throw new IllegalArgumentException("empty CPU list");
        return cpus;
    }

    static String format(Iterable<Integer> cpus) {
        List<String> parts = new ArrayList<>();
        Integer start = null;
        Integer prev = null;
        for (int c : cpus) {
            if (prev != null && c == prev + 1) {
                prev = c;
                continue;
            }
            if (start != null) parts.add(start.equals(prev) ? "" + start : start + "-" + prev);
            start = c;
            prev = c;
        }
        if (start != null) parts.add(start.equals(prev) ? "" + start : start + "-" + prev);
        return String.join(",", parts);
    }
}
