package dev.tuner.slice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The slices a report covers: none named for a run over every host, one for a sliced run, several
 * for a merge. Merging checks that the parts fit: the same count, no slice twice, none missing.
 */
public record SliceSet(List<Slice> slices) {
    public static final SliceSet WHOLE = new SliceSet(List.of());

    public SliceSet {
        slices = List.copyOf(new TreeSet<>(slices));
    }

    public static SliceSet of(Slice slice) {
        return slice.isWhole() ? WHOLE : new SliceSet(List.of(slice));
    }

    /** {@code ["1/3", "2/3"]} as documents write them; every entry must be {@code K/N}. */
    public static SliceSet parse(List<String> texts) {
        List<Slice> out = new ArrayList<>();
        for (String t : texts) out.add(Slice.parse(t));
        return new SliceSet(out);
    }

    public boolean isWhole() {
        return slices.isEmpty();
    }

    public List<String> names() {
        return slices.stream().map(Slice::toString).toList();
    }

    /** One line for a person: empty for a run over every host. */
    public String describe() {
        if (slices.isEmpty()) return "";
        if (slices.size() == 1) return "slice " + slices.get(0) + " of the hosts";
        return "slices " + String.join(", ", names()) + " merged";
    }

    /**
     * The union of the parts (keyed by where each came from, e.g. a file name), when they are the
     * slices of one fleet exactly once each.
     *
     * @throws IllegalArgumentException naming the parts that overlap, the counts that differ, or the slices missing
     */
    public static SliceSet union(Map<String, SliceSet> parts) {
        Map<Slice, String> seen = new LinkedHashMap<>();
        String whole = null;
        Integer count = null;
        String countFrom = null;
        for (Map.Entry<String, SliceSet> e : parts.entrySet()) {
            if (e.getValue().isWhole()) {
                if (parts.size() > 1) whole = e.getKey();
                continue;
            }
            for (Slice s : e.getValue().slices()) {
                if (count == null) {
                    count = s.count();
                    countFrom = e.getKey();
                } else if (count != s.count()) {
                    throw new IllegalArgumentException("slices of different counts overlap: " + countFrom + " has slices of " + count
                            + ", " + e.getKey() + " slice " + s + ": run every slice with the same N");
                }
                String before = seen.putIfAbsent(s, e.getKey());
                if (before != null) {
                    throw new IllegalArgumentException("slice " + s + " is in both " + before + " and " + e.getKey()
                            + ": overlapping slices would count their hosts twice");
                }
            }
        }
        if (whole != null) {
            throw new IllegalArgumentException(whole + " covers every host (it was not sliced): it overlaps every other document");
        }
        if (count == null) return WHOLE;
        List<String> missing = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            if (!seen.containsKey(new Slice(k, count))) missing.add(k + "/" + count);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("slice" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " missing: the hosts of " + (missing.size() > 1 ? "those slices" : "that slice")
                    + " were not checked; give the document of every slice");
        }
        return new SliceSet(new ArrayList<>(seen.keySet()));
    }
}
