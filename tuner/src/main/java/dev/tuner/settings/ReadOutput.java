package dev.tuner.settings;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The parsed answer to a {@link ReadScript}: per id, whether it was there and its bytes. */
public final class ReadOutput {
    public enum Status { OK, MISSING, ERROR }

    /** One probe's answer. {@code text} is the content (OK) or the error message (ERROR). */
    public record Entry(Status status, String text) {
        public boolean ok() {
            return status == Status.OK;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public static ReadOutput parse(String stdout) {
        ReadOutput out = new ReadOutput();
        for (String line : stdout.split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length < 3 || !parts[0].equals("R")) continue;
            String id = decode(parts[1]);
            Status status = switch (parts[2]) {
                case "ok" -> Status.OK;
                case "missing" -> Status.MISSING;
                default -> Status.ERROR;
            };
            String text = parts.length > 3 ? decode(parts[3]) : "";
            out.entries.put(id, new Entry(status, text));
        }
        return out;
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    /** The answer to one probe; a probe that printed nothing counts as missing. */
    public Entry entry(String id) {
        Entry e = entries.get(id);
        return e != null ? e : new Entry(Status.MISSING, "");
    }

    public Optional<Entry> get(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    /** All entries whose id starts with the prefix, keyed by the rest of the id, in read order. */
    public Map<String, Entry> withPrefix(String prefix) {
        Map<String, Entry> m = new LinkedHashMap<>();
        entries.forEach((k, v) -> {
            if (k.startsWith(prefix)) m.put(k.substring(prefix.length()), v);
        });
        return m;
    }
}
