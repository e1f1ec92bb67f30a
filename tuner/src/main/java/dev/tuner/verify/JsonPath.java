package dev.tuner.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of JSONPath benchmark outputs need: {@code $.a.b}, {@code $.a[0]}, {@code $['key with space']}
 * and a filter on an array of objects, {@code $.jobs[jobname=seqread]} (the first element whose
 * field equals the value), which keeps fio paths right when jobs are reordered.
 */
public final class JsonPath {
    private sealed interface Segment permits Field, Index, Filter {}
    private record Field(String name) implements Segment {}
    private record Index(int index) implements Segment {}
    private record Filter(String field, String value) implements Segment {}

    private static final Pattern FIELD = Pattern.compile("\\.([A-Za-z0-9_\\-]+)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");
    private static final Pattern QUOTED = Pattern.compile("\\['([^']*)']|\\[\"([^\"]*)\"]");
    private static final Pattern FILTER = Pattern.compile("\\[([A-Za-z0-9_\\- ]+)=([^]]*)]");

    private final String text;
    private final List<Segment> segments;

    private JsonPath(String text, List<Segment> segments) {
        this.text = text;
        this.segments = segments;
    }

    /** Parses a path; a syntax error is an {@link IllegalArgumentException} saying where it stopped. */
    public static JsonPath parse(String text) {
        if (!text.startsWith("$")) throw new IllegalArgumentException("a JSON path starts with '$', like $.jobs[0].read.bw");
        List<Segment> segs = new ArrayList<>();
        int pos = 1;
        while (pos < text.length()) {
            Matcher m;
            if ((m = FIELD.matcher(text).region(pos, text.length())).lookingAt()) {
                segs.add(new Field(m.group(1)));
            } else if ((m = INDEX.matcher(text).region(pos, text.length())).lookingAt()) {
                segs.add(new Index(Integer.parseInt(m.group(1))));
            } else if ((m = QUOTED.matcher(text).region(pos, text.length())).lookingAt()) {
                segs.add(new Field(m.group(1) != null ? m.group(1) : m.group(2)));
            } else if ((m = FILTER.matcher(text).region(pos, text.length())).lookingAt()) {
                segs.add(new Filter(m.group(1).trim(), m.group(2).trim()));
            } else {
                throw new IllegalArgumentException("cannot read the JSON path from '" + text.substring(pos)
                        + "' (supported: .name, [0], ['name'], [field=value])");
            }
            pos = m.end();
        }
        if (segs.isEmpty()) throw new IllegalArgumentException("the JSON path '$' selects the whole document, not a number");
        return new JsonPath(text, List.copyOf(segs));
    }

    /** The selected node, or null when the path does not exist. */
    public JsonNode find(JsonNode root) {
        JsonNode n = root;
        for (Segment s : segments) {
            if (n == null) return null;
            if (s instanceof Field f) n = n.get(f.name());
            else if (s instanceof Index i) n = n.isArray() ? n.get(i.index()) : null;
            else if (s instanceof Filter f) {
                JsonNode match = null;
                if (n.isArray()) {
                    for (JsonNode e : n) {
                        JsonNode v = e.get(f.field());
                        if (v != null && v.isValueNode() && v.asText().equals(f.value())) {
                            match = e;
                            break;
                        }
                    }
                }
                n = match;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return text;
    }
}
