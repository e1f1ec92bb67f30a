package dev.tuner.settings;

import dev.tuner.transport.Shell;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Builds the one read-only shell script that gathers every current value a play needs on a host.
 * Each probe prints one line {@code R <base64 id> <ok|missing|error> <base64 bytes>}, so file
 * contents come back byte for byte whatever they hold (the journal relies on that). A directory
 * where a file is expected is an error, not an empty file: a plan must never propose to write over it.
 */
public final class ReadScript {
    private static final String PRELUDE = """
            tuner_b64() { base64 -w0 2>/dev/null || base64 | tr -d '\\n'; }
            tuner_file() {
              if [ -d "$2" ]; then printf 'R %s error %s\\n' "$1" "$(printf '%s: is a directory' "$2" | tuner_b64)"
              elif [ -e "$2" ]; then
                if tuner_b=$(tuner_b64 < "$2" 2>/dev/null); then printf 'R %s ok %s\\n' "$1" "$tuner_b"
                else printf 'R %s error %s\\n' "$1" "$( (cat -- "$2" >/dev/null) 2>&1 | tuner_b64)"; fi
              else printf 'R %s missing\\n' "$1"; fi
            }
            tuner_cmd() {
              tuner_id=$1; shift
              if tuner_o=$("$@" 2>&1); then printf 'R %s ok %s\\n' "$tuner_id" "$(printf '%s' "$tuner_o" | tuner_b64)"
              else printf 'R %s error %s\\n' "$tuner_id" "$(printf '%s' "$tuner_o" | tuner_b64)"; fi
            }
            """;

    private final Set<String> lines = new LinkedHashSet<>();

    /** Reads a file (or /proc, /sys entry) under the given id. */
    public ReadScript file(String id, String path) {
        lines.add("tuner_file " + encodedId(id) + " " + Shell.quote(path));
        return this;
    }

    /**
     * Reads every file matching a shell glob in {@code dir} (e.g. {@code *.conf}); each file is
     * reported under id {@code prefix + path}. The glob itself is fixed text from the kind.
     */
    public ReadScript glob(String prefix, String dir, String pattern) {
        if (!pattern.matches("[A-Za-z0-9_.*?-]+")) throw new IllegalArgumentException("unsafe glob " + pattern);
        lines.add("for tuner_f in " + Shell.quote(dir) + "/" + pattern + "; do [ -e \"$tuner_f\" ] || continue; "
                + "tuner_file \"$(printf '%s' " + Shell.quote(prefix) + "\"$tuner_f\" | tuner_b64)\" \"$tuner_f\"; done");
        return this;
    }

    /** Runs a read-only command (arguments are quoted) and records its output under the id. */
    public ReadScript command(String id, String... argv) {
        StringBuilder sb = new StringBuilder("tuner_cmd ").append(encodedId(id));
        for (String a : argv) sb.append(' ').append(Shell.quote(a));
        lines.add(sb.toString());
        return this;
    }

    /** Runs a fixed shell snippet written by a kind (never containing user values). */
    public ReadScript shell(String id, String snippet) {
        lines.add("tuner_cmd " + encodedId(id) + " /bin/sh -c " + Shell.quote(snippet));
        return this;
    }

    /** The shell functions the probes use; write scripts of kinds may reuse them. */
    public static String prelude() {
        return PRELUDE;
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    public String render() {
        return PRELUDE + String.join("\n", lines) + "\n";
    }

    static String encodedId(String id) {
        return Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }
}
