package dev.tuner.settings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The parsed answer to a {@link ReadScript}: per id, whether it was there and its bytes. */
public final class ReadOutput {
    public enum Status { OK, MISSING, ERROR }

    /**
     * A file's mode (four octal digits, {@code 0600}), owner and group (names; {@code UNKNOWN} for
     * an id without one), read with its bytes.
     */
    public record Attributes(String mode, String owner, String group) {}

    /**
     * One probe's answer: the content byte for byte (OK), or the error message (ERROR). {@link #text}
     * is the bytes as UTF-8. {@code file}: the attributes of a file read (OK), null for a command's
     * output, a kernel attribute under /proc or /sys, or a file that is not there.
     */
    public record Entry(Status status, byte[] bytes, Attributes file) {
        public Entry(Status status, byte[] bytes) {
            this(status, bytes, null);
        }

        public Entry(Status status, String text) {
            this(status, text.getBytes(StandardCharsets.UTF_8), null);
        }

        public boolean ok() {
            return status == Status.OK;
        }

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** The file's mode as read, e.g. {@code 0600}; null when there is no file or none was read. */
        public String mode() {
            return file == null ? null : file.mode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.status == status && Arrays.equals(e.bytes, bytes) && Objects.equals(e.file, file);
        }

        @Override
        public int hashCode() {
            return (status.hashCode() * 31 + Arrays.hashCode(bytes)) * 31 + Objects.hashCode(file);
        }

        @Override
        public String toString() {
            return status + (file == null ? "" : " " + file.mode() + " " + file.owner() + ":" + file.group()) + " " + text();
        }
    }

    /** The answer stopped before its closing record, or does not add up: nothing in it can be trusted. */
    static final class Incomplete extends RuntimeException {
        Incomplete(String message) {
            super(message);
        }
    }

    private static final byte[] NO_BYTES = new byte[0];
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** An answer with nothing in it: every id reads as missing. For kinds that read nothing through the shell. */
    public static ReadOutput empty() {
        return new ReadOutput();
    }

    /**
     * Parses what a script of {@link ReadScript#prelude}, numbered records and {@link ReadScript#closing}
     * printed; {@code probes} says what each record number stands for.
     */
    static ReadOutput parse(byte[] out, String token, List<ReadScript.Probe> probes) {
        byte[] mark = ("\n" + token + " ").getBytes(StandardCharsets.US_ASCII);
        ReadOutput result = new ReadOutput();
        Deque<String[]> queued = new ArrayDeque<>();    // {id, path} of files waiting for the next cat, in order
        Map<Integer, String> globPath = new LinkedHashMap<>();
        Map<Integer, byte[]> output = new LinkedHashMap<>();
        byte[] statOut = null;
        byte[] catOut = null;
        boolean ended = false;
        int at = indexOf(out, mark, 0);
        while (at >= 0 && !ended) {
            int headerStart = at + mark.length;
            int headerEnd = indexOf(out, (byte) '\n', headerStart);
            if (headerEnd < 0) break;
            String[] f = new String(out, headerStart, headerEnd - headerStart, StandardCharsets.US_ASCII).split(" ");
            int next = indexOf(out, mark, headerEnd + 1);
            byte[] payload = Arrays.copyOfRange(out, headerEnd + 1, next < 0 ? out.length : next);
            if (f[0].equals("-")) {
                switch (f[1]) {
                    case "a" -> statOut = payload;
                    case "b" -> catOut = payload;
                    case "e" -> {
                        if (catOut == null) throw new Incomplete("cat's errors without its output");
                        result.readBatch(catOut, payload, Integer.parseInt(f[2]), token, queued, attributes(statOut));
                        catOut = null;
                        statOut = null;
                    }
                    case "end" -> ended = true;
                    default -> throw new Incomplete("unknown record '" + String.join(" ", f) + "'");
                }
            } else {
                int i = Integer.parseInt(f[0]);
                ReadScript.Probe p = probes.get(i);
                String id = p.kind() == ReadScript.Probe.Kind.GLOB ? p.prefix() + globPath.get(i) : p.id();
                String path = p.kind() == ReadScript.Probe.Kind.GLOB ? globPath.get(i) : p.path();
                switch (f[1]) {
                    case "p" -> globPath.put(i, new String(payload, StandardCharsets.UTF_8));
                    case "m" -> result.entries.put(id, new Entry(Status.MISSING, NO_BYTES));
                    case "d" -> result.entries.put(id, new Entry(Status.ERROR, path + ": is a directory"));
                    case "n" -> result.entries.put(id, new Entry(Status.ERROR, path + ": not a regular file"));
                    case "c" -> {
                        queued.add(new String[] {id, path});
                        result.entries.put(id, null); // its place in read order; filled by the cat
                    }
                    case "r" -> output.put(i, payload);
                    case "s" -> {
                        byte[] o = withoutTrailingNewlines(output.getOrDefault(i, NO_BYTES));
                        result.entries.put(id, new Entry(f[2].equals("0") ? Status.OK : Status.ERROR, o));
                    }
                    default -> throw new Incomplete("unknown record '" + String.join(" ", f) + "'");
                }
            }
            at = next;
        }
        if (!ended) throw new Incomplete("the answer stops before its end");
        if (!queued.isEmpty()) throw new Incomplete(queued.size() + " file(s) were never read");
        return result;
    }

    /**
     * One cat's answer: its stdout is the environ marker, then each file followed by the marker; its
     * stderr has one "Not a directory" line for the impossible path after each file, and a file's
     * own errors before that line.
     */
    private void readBatch(byte[] catOut, byte[] catErr, int files, String token, Deque<String[]> queued, Map<String, Attributes> stat) {
        byte[] marker = ("_tb=" + token + "\0").getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = split(catOut, marker);
        // "", then one part per file, then "" after the last marker
        if (parts.size() != files + 2 || parts.get(0).length != 0 || parts.get(files + 1).length != 0) {
            throw new Incomplete("cat printed " + (parts.size() - 1) + " marker(s) for " + files + " file(s)"
                    + (catErr.length == 0 ? "" : ": " + new String(catErr, StandardCharsets.UTF_8).strip()));
        }
        String impossible = "/proc/self/environ/" + token;
        List<String> errors = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int seen = 0;
        for (String line : new String(catErr, StandardCharsets.UTF_8).split("\n")) {
            if (line.contains(impossible)) {
                if (seen > 0) errors.add(current.toString().strip());
                current.setLength(0);
                seen++;
            } else if (seen > 0) {
                current.append(line).append('\n');
            }
        }
        if (seen != files + 1) throw new Incomplete("cat reported " + seen + " end(s) of file on stderr for " + files + " file(s)");
        for (int k = 0; k < files; k++) {
            String[] file = queued.poll();
            if (file == null) throw new Incomplete("cat read more files than were queued");
            String id = file[0];
            String path = file[1];
            String error = errors.get(k);
            Attributes attributes = stat.get(path);
            if (!error.isEmpty()) {
                entries.put(id, new Entry(Status.ERROR, error));
            } else if (attributes == null && !isKernelAttribute(path)) {
                // Whether its content may be shown depends on its mode: without the mode, it is not read at all.
                entries.put(id, new Entry(Status.ERROR, path + ": its mode could not be read (GNU stat --printf failed on it)"));
            } else {
                entries.put(id, new Entry(Status.OK, parts.get(k + 1), attributes));
            }
        }
    }

    /** Paths the read script does not stat: /proc and /sys hold kernel attributes, not files a kind writes. */
    private static boolean isKernelAttribute(String path) {
        return path.startsWith("/proc/") || path.startsWith("/sys/");
    }

    /** stat's {@code MODE OWNER GROUP PATH\0} entries by path; empty when there were none. */
    private static Map<String, Attributes> attributes(byte[] statOut) {
        Map<String, Attributes> out = new LinkedHashMap<>();
        if (statOut == null) return out;
        for (byte[] entry : split(statOut, new byte[] {0})) {
            if (entry.length == 0) continue;
            String[] f = new String(entry, StandardCharsets.UTF_8).split(" ", 4);
            if (f.length < 4 || !f[0].matches("[0-7]{1,4}")) throw new Incomplete("stat printed '" + new String(entry, StandardCharsets.UTF_8) + "'");
            out.put(f[3], new Attributes("0".repeat(4 - f[0].length()) + f[0], f[1], f[2]));
        }
        return out;
    }

    private static List<byte[]> split(byte[] b, byte[] sep) {
        List<byte[]> parts = new ArrayList<>();
        int from = 0;
        for (int at = indexOf(b, sep, 0); at >= 0; at = indexOf(b, sep, from)) {
            parts.add(Arrays.copyOfRange(b, from, at));
            from = at + sep.length;
        }
        parts.add(Arrays.copyOfRange(b, from, b.length));
        return parts;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == c) return i;
        return -1;
    }

    private static int indexOf(byte[] b, byte[] pat, int from) {
        byte first = pat[0];
        int last = b.length - pat.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (b[i] != first) continue;
            for (int j = 1; j < pat.length; j++) if (b[i + j] != pat[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static byte[] withoutTrailingNewlines(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == '\n') n--;
        return n == b.length ? b : Arrays.copyOf(b, n);
    }

    /** The answer to one probe; a probe that printed nothing counts as missing. */
    public Entry entry(String id) {
        Entry e = entries.get(id);
        return e != null ? e : new Entry(Status.MISSING, NO_BYTES);
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
