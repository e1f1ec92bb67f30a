package dev.tuner.settings;

/** Comparing values as hosts print them: runs of whitespace are one space, numbers compare by value. */
public final class Values {
    private Values() {}

    public static String normalize(String s) {
        return s == null ? null : s.trim().replaceAll("\\s+", " ");
    }

    public static boolean same(String a, String b) {
        if (a == null || b == null) return a == b;
        String[] x = normalize(a).split(" ");
        String[] y = normalize(b).split(" ");
        if (x.length != y.length) return false;
        for (int i = 0; i < x.length; i++) {
            if (x[i].equals(y[i])) continue;
            try {
                if (Long.parseLong(x[i]) != Long.parseLong(y[i])) return false;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }
}
