package dev.tuner.run;

import java.util.ArrayList;
import java.util.List;

/** Ansible's {@code serial}: batch sizes as numbers or percentages, the last one repeating. */
final class Batches {
    private Batches() {}

    static List<List<Target>> split(List<Target> hosts, List<String> serial) {
        List<List<Target>> out = new ArrayList<>();
        if (hosts.isEmpty()) return out;
        if (serial.isEmpty()) {
            out.add(hosts);
            return out;
        }
        int i = 0;
        int step = 0;
        while (i < hosts.size()) {
            String s = serial.get(Math.min(step, serial.size() - 1));
            int size = s.endsWith("%")
                    ? Math.max(1, (int) (hosts.size() * Integer.parseInt(s.substring(0, s.length() - 1)) / 100.0))
                    : Integer.parseInt(s);
            out.add(new ArrayList<>(hosts.subList(i, Math.min(hosts.size(), i + size))));
            i += size;
            step++;
        }
        return out;
    }
}
