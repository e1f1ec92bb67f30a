package dev.tuner.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands Ansible host ranges: {@code db[01:20].example.com} (zero padding kept),
 * {@code node[a:f]}, with an optional step {@code [1:10:2]}; several ranges in one name multiply.
 */
final class HostRange {
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** A range that cannot be expanded; {@code offset} is where in the pattern the range starts. */
    static final class RangeException extends Exception {
        final int offset;

        RangeException(int offset, String message) {
            super(message);
            this.offset = offset;
        }
    }

    private HostRange() {}

    static boolean hasRange(String pattern) {
        return pattern.indexOf('[') >= 0;
    }

    static List<String> expand(String pattern) throws RangeException {
        List<String> out = new ArrayList<>();
        expandInto(pattern, 0, out);
        return out;
    }

    private static void expandInto(String pattern, int baseOffset, List<String> out) throws RangeException {
        int open = pattern.indexOf('[');
        if (open < 0) {
            out.add(pattern);
            return;
        }
        int close = pattern.indexOf(']', open);
        if (close < 0) throw new RangeException(baseOffset + open, "host range '" + pattern.substring(open) + "' has no closing ']'");
        String head = pattern.substring(0, open);
        String body = pattern.substring(open + 1, close);
        String tail = pattern.substring(close + 1);
        int at = baseOffset + open;
        String[] bounds = body.split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) {
            throw new RangeException(at, "host range [" + body + "] must be begin:end or begin:end:step");
        }
        String beg = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        if (end.isEmpty()) throw new RangeException(at, "host range [" + body + "] must specify an end value");
        int step = 1;
        if (bounds.length == 3) {
            try {
                step = Integer.parseInt(bounds[2]);
            } catch (NumberFormatException e) {
                throw new RangeException(at, "host range [" + body + "] has a step '" + bounds[2] + "' that is not a number");
            }
            if (step <= 0) throw new RangeException(at, "host range [" + body + "] must have a step of at least 1");
        }
        List<String> items = new ArrayList<>();
        int iBeg = beg.length() == 1 ? LETTERS.indexOf(beg) : -1;
        int iEnd = end.length() == 1 ? LETTERS.indexOf(end) : -1;
        if (iBeg >= 0 && iEnd >= 0) {
            if (iBeg > iEnd) throw new RangeException(at, "host range [" + body + "] must have begin <= end");
            for (int i = iBeg; i <= iEnd; i += step) items.add(String.valueOf(LETTERS.charAt(i)));
        } else {
            if (!beg.matches("[0-9]+") || !end.matches("[0-9]+")) {
                throw new RangeException(at, "host range [" + body + "] must be numbers (like 01:20) or single letters (like a:f)");
            }
            boolean padded = beg.length() > 1 && beg.startsWith("0");
            if (padded && beg.length() != end.length()) {
                throw new RangeException(at, "host range [" + body + "] must specify equal-length begin and end formats");
            }
            long b = Long.parseLong(beg);
            long e = Long.parseLong(end);
            if (b > e) throw new RangeException(at, "host range [" + body + "] must have begin <= end");
            if ((e - b) / step > 100_000) throw new RangeException(at, "host range [" + body + "] expands to more than 100000 hosts");
            for (long i = b; i <= e; i += step) {
                String s = Long.toString(i);
                if (padded) s = "0".repeat(Math.max(0, beg.length() - s.length())) + s;
                items.add(s);
            }
        }
        for (String item : items) {
            String name = head + item + tail;
            // offsets in the expanded name map back to the original pattern by the length difference
            if (hasRange(tail)) expandInto(name, baseOffset + (close + 1) - (head.length() + item.length()), out);
            else out.add(name);
        }
    }
}
