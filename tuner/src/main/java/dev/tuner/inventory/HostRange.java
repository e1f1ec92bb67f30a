package dev.tuner.inventory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Expands Ansible host ranges: {@code db[01:20].example.com} (zero padding kept),
 * {@code node[a:f]}, with an optional step {@code [1:10:2]}; several ranges in one name multiply.
 *
 * <p>A pattern is parsed once into its literal parts and ranges, so how many names it makes is
 * known before any is made ({@link Names#count()}), and the names are then made one at a time:
 * a pattern naming a million hosts is refused at once, not after a million strings.
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

    /** One bracketed range: {@code size} items, the i-th made on demand. */
    private interface Range {
        long size();

        String item(long i);
    }

    private record Numbers(long begin, long step, long size, int width) implements Range {
        @Override
        public String item(long i) {
            String s = Long.toString(begin + i * step);
            return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
        }
    }

    private record Letters(int begin, int step, long size) implements Range {
        @Override
        public String item(long i) {
            return String.valueOf(LETTERS.charAt((int) (begin + i * step)));
        }
    }

    /** The names of one pattern: literal parts and ranges alternating, {@code literals.size() == ranges.size() + 1}. */
    static final class Names implements Iterable<String> {
        private final List<String> literals;
        private final List<Range> ranges;
        private final long count;

        private Names(List<String> literals, List<Range> ranges) {
            this.literals = literals;
            this.ranges = ranges;
            long n = 1;
            for (Range r : ranges) n = r.size() != 0 && n > Long.MAX_VALUE / r.size() ? Long.MAX_VALUE : n * r.size();
            this.count = n;
        }

        static Names single(String name) {
            return new Names(List.of(name), List.of());
        }

        /** How many names there are (Long.MAX_VALUE when more than a long holds), without making them. */
        long count() {
            return count;
        }

        /** The names in Ansible's order: the last range varies fastest. */
        @Override
        public Iterator<String> iterator() {
            return new Iterator<>() {
                private final long[] at = new long[ranges.size()];
                private boolean done = count == 0;

                @Override
                public boolean hasNext() {
                    return !done;
                }

                @Override
                public String next() {
                    if (done) throw new NoSuchElementException();
                    StringBuilder sb = new StringBuilder(literals.get(0));
                    for (int k = 0; k < ranges.size(); k++) sb.append(ranges.get(k).item(at[k])).append(literals.get(k + 1));
                    int k = ranges.size() - 1;
                    while (k >= 0 && ++at[k] == ranges.get(k).size()) at[k--] = 0;
                    done = k < 0;
                    return sb.toString();
                }
            };
        }
    }

    private HostRange() {}

    static boolean hasRange(String pattern) {
        return pattern.indexOf('[') >= 0;
    }

    /** Every name of a pattern, made at once (for patterns known to be small). */
    static List<String> expand(String pattern) throws RangeException {
        List<String> out = new ArrayList<>();
        for (String name : parse(pattern)) out.add(name);
        return out;
    }

    /** The pattern's parts, checked; nothing is expanded yet. */
    static Names parse(String pattern) throws RangeException {
        List<String> literals = new ArrayList<>();
        List<Range> ranges = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = pattern.indexOf('[', from);
            if (open < 0) {
                literals.add(pattern.substring(from));
                return new Names(literals, ranges);
            }
            int close = pattern.indexOf(']', open);
            if (close < 0) throw new RangeException(open, "host range '" + pattern.substring(open) + "' has no closing ']'");
            literals.add(pattern.substring(from, open));
            ranges.add(range(pattern.substring(open + 1, close), open));
            from = close + 1;
        }
    }

    private static Range range(String body, int at) throws RangeException {
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
        int iBeg = beg.length() == 1 ? LETTERS.indexOf(beg) : -1;
        int iEnd = end.length() == 1 ? LETTERS.indexOf(end) : -1;
        if (iBeg >= 0 && iEnd >= 0) {
            if (iBeg > iEnd) throw new RangeException(at, "host range [" + body + "] must have begin <= end");
            return new Letters(iBeg, step, (iEnd - iBeg) / step + 1);
        }
        if (!beg.matches("[0-9]+") || !end.matches("[0-9]+")) {
            throw new RangeException(at, "host range [" + body + "] must be numbers (like 01:20) or single letters (like a:f)");
        }
        boolean padded = beg.length() > 1 && beg.startsWith("0");
        if (padded && beg.length() != end.length()) {
            throw new RangeException(at, "host range [" + body + "] must specify equal-length begin and end formats");
        }
        long b;
        long e;
        try {
            b = Long.parseLong(beg);
            e = Long.parseLong(end);
        } catch (NumberFormatException tooLong) {
            throw new RangeException(at, "host range [" + body + "] has bounds beyond " + Long.MAX_VALUE);
        }
        if (b > e) throw new RangeException(at, "host range [" + body + "] must have begin <= end");
        return new Numbers(b, step, (e - b) / step + 1, padded ? beg.length() : 0);
    }
}
