package dev.tuner.settings.files;

import java.util.ArrayList;
import java.util.List;

/**
 * Edits a TOML file as text so that everything the edit does not touch stays byte for byte:
 * comments, blank lines, indentation, key order. It finds where each key's value is written,
 * replaces that value, or inserts the key into its [table] (or a new table at the end).
 * Callers check the result by parsing it ({@link TomlValues#parse}) and comparing trees: this
 * scanner only needs to be right about positions in a file the TOML parser already accepted.
 */
public final class TomlText {
    /** A key = value line: its full path, where the value is, where the line ends, its indentation. */
    record Entry(List<String> path, int lineStart, int valueStart, int valueEnd, int lineEnd, String indent, boolean inArrayTable) {}

    /** A [table] header and the end of its last entry (or of the header line). */
    record Table(List<String> path, boolean array, int headerStart, int headerEnd, int lastEntryEnd, String indent) {}

    private final String text;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Table> tables = new ArrayList<>();
    private int rootEnd; // end of the last root-level entry (0 if none)
    private int firstHeader = -1;
    private int pos;

    private TomlText(String text) {
        this.text = text;
        scan();
    }

    public static TomlText of(String text) {
        return new TomlText(text == null ? "" : text);
    }

    /** The text with {@code path} set to {@code valueText}. */
    public String set(List<String> path, String valueText) {
        for (Entry e : entries) {
            if (!e.inArrayTable() && e.path().equals(path))
                return text.substring(0, e.valueStart()) + valueText + text.substring(e.valueEnd());
        }
        List<String> table = path.subList(0, path.size() - 1);
        String key = TomlKey.segment(path.get(path.size() - 1));
        if (table.isEmpty()) {
            // Root keys must come before the first [table].
            int at = rootEnd > 0 ? rootEnd : (firstHeader >= 0 ? firstHeader : text.length());
            String line = key + " = " + valueText + "\n";
            String before = text.substring(0, at);
            if (!before.isEmpty() && !before.endsWith("\n")) line = "\n" + line;
            return before + line + text.substring(at);
        }
        for (int i = tables.size() - 1; i >= 0; i--) {
            Table t = tables.get(i);
            if (t.array() || !t.path().equals(table)) continue;
            String indent = indentOfLastEntry(t);
            int at = t.lastEntryEnd();
            String before = text.substring(0, at);
            String line = indent + key + " = " + valueText + "\n";
            if (!before.endsWith("\n")) line = "\n" + line;
            return before + line + text.substring(at);
        }
        String indent = "  ".repeat(table.size() - 1);
        String block = indent + "[" + TomlKey.format(table) + "]\n" + indent + "  " + key + " = " + valueText + "\n";
        // A new table goes after the last table of its closest existing parent, where a reader looks for it.
        Table near = null;
        int best = 0;
        for (Table t : tables) {
            int common = 0;
            while (common < Math.min(t.path().size(), table.size()) && t.path().get(common).equals(table.get(common))) common++;
            if (common > 0 && common >= best) {
                best = common;
                near = t;
            }
        }
        if (near != null) {
            int at = near.lastEntryEnd();
            String before = text.substring(0, at);
            return before + (before.endsWith("\n") ? "" : "\n") + block + text.substring(at);
        }
        StringBuilder sb = new StringBuilder(text);
        if (!text.isEmpty() && !text.endsWith("\n")) sb.append('\n');
        if (!text.isEmpty()) sb.append('\n');
        return sb.append(block).toString();
    }

    /**
     * The text with {@code item} (a value text) appended to the array at root key {@code key},
     * or the key added with a one-element array. Returns null if the key holds something else.
     */
    public String appendToRootArray(String key, String item) {
        for (Entry e : entries) {
            if (e.inArrayTable() || !e.path().equals(List.of(key))) continue;
            String v = text.substring(e.valueStart(), e.valueEnd());
            if (!v.startsWith("[")) return null;
            int lastItemEnd = lastArrayItemEnd(e.valueStart());
            if (lastItemEnd < 0) return text.substring(0, e.valueStart()) + "[" + item + "]" + text.substring(e.valueEnd());
            return text.substring(0, lastItemEnd) + ", " + item + text.substring(lastItemEnd);
        }
        return set(List.of(key), "[" + item + "]");
    }

    private String indentOfLastEntry(Table t) {
        Entry last = null;
        for (Entry e : entries) if (e.lineStart() > t.headerStart() && e.lineEnd() <= t.lastEntryEnd()) last = e;
        return last != null ? last.indent() : t.indent() + "  ";
    }

    // ------------------------------------------------------------------ scanning

    private void scan() {
        List<String> table = List.of();
        boolean arrayTable = false;
        Table open = null;
        pos = 0;
        while (pos < text.length()) {
            int lineStart = pos;
            skipBlanks();
            String indent = text.substring(lineStart, pos);
            if (pos >= text.length()) break;
            char c = text.charAt(pos);
            if (c == '\n' || c == '\r' || c == '#') {
                skipToLineEnd();
                continue;
            }
            if (c == '[') {
                if (open != null) tables.add(open);
                if (firstHeader < 0) firstHeader = lineStart;
                arrayTable = text.startsWith("[[", pos);
                pos += arrayTable ? 2 : 1;
                int close = closeOfHeader(pos, arrayTable);
                table = TomlKey.parse(text.substring(pos, close));
                pos = close + (arrayTable ? 2 : 1);
                skipToLineEnd();
                open = new Table(table, arrayTable, lineStart, pos, pos, indent);
                continue;
            }
            int eq = keyEnd(pos);
            List<String> key = TomlKey.parse(text.substring(pos, eq).trim());
            pos = eq + 1;
            skipBlanks();
            int valueStart = pos;
            skipValue();
            int valueEnd = pos;
            skipToLineEnd();
            List<String> full = new ArrayList<>(table);
            full.addAll(key);
            entries.add(new Entry(full, lineStart, valueStart, valueEnd, pos, indent, arrayTable));
            if (open == null) rootEnd = pos;
            else open = new Table(open.path(), open.array(), open.headerStart(), open.headerEnd(), pos, open.indent());
        }
        if (open != null) tables.add(open);
    }

    /** The ']' closing a header, skipping quoted segments. */
    private int closeOfHeader(int from, boolean array) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') i = endOfSimpleString(i);
            else if (c == ']') return i;
            else i++;
        }
        throw new IllegalArgumentException("unclosed table header");
    }

    /** The '=' after a key, skipping quoted segments. */
    private int keyEnd(int from) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') i = endOfSimpleString(i);
            else if (c == '=') return i;
            else if (c == '\n') break;
            else i++;
        }
        throw new IllegalArgumentException("expected '=' on line starting at offset " + from);
    }

    private int endOfSimpleString(int i) {
        char q = text.charAt(i);
        i++;
        while (i < text.length() && text.charAt(i) != q) {
            if (q == '"' && text.charAt(i) == '\\') i++;
            i++;
        }
        return i + 1;
    }

    private void skipBlanks() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) pos++;
    }

    private void skipToLineEnd() {
        int nl = text.indexOf('\n', pos);
        pos = nl < 0 ? text.length() : nl + 1;
    }

    /** Skips whitespace, newlines and comments (inside arrays). */
    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
            else if (c == '#') {
                int nl = text.indexOf('\n', pos);
                pos = nl < 0 ? text.length() : nl;
            } else break;
        }
    }

    private void skipValue() {
        char c = text.charAt(pos);
        if (text.startsWith("\"\"\"", pos) || text.startsWith("'''", pos)) {
            String q = text.substring(pos, pos + 3);
            int i = pos + 3;
            while (true) {
                int end = text.indexOf(q, i);
                if (end < 0) throw new IllegalArgumentException("unclosed multi-line string");
                if (q.equals("\"\"\"") && backslashes(end) % 2 == 1) {
                    i = end + 1;
                    continue;
                }
                // up to two quotes may end the content right before the closing delimiter
                while (text.startsWith(q.substring(0, 1), end + 3) && end + 3 < text.length()) end++;
                pos = end + 3;
                return;
            }
        }
        if (c == '"' || c == '\'') {
            pos = endOfSimpleString(pos);
            return;
        }
        if (c == '[' || c == '{') {
            char close = c == '[' ? ']' : '}';
            pos++;
            while (true) {
                skipSpace();
                if (pos >= text.length()) throw new IllegalArgumentException("unclosed " + c);
                char d = text.charAt(pos);
                if (d == close) {
                    pos++;
                    return;
                }
                if (d == ',') {
                    pos++;
                    continue;
                }
                if (c == '{') {
                    pos = keyEnd(pos) + 1;
                    skipBlanks();
                }
                skipValue();
            }
        }
        while (pos < text.length()) {
            char d = text.charAt(pos);
            if (d == ',' || d == ']' || d == '}' || d == '#' || d == '\n' || d == '\r') break;
            if ((d == ' ' || d == '\t') && !isDateTimeSpace(pos)) break;
            pos++;
        }
        // trailing blanks belong to the line, not the value
        while (pos > 0 && (text.charAt(pos - 1) == ' ' || text.charAt(pos - 1) == '\t')) pos--;
    }

    /** TOML allows "1979-05-27 07:32:00": a space between a date and a time. */
    private boolean isDateTimeSpace(int i) {
        return i >= 10 && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))
                && text.substring(i - 10, i).matches("\\d{4}-\\d{2}-\\d{2}");
    }

    private int backslashes(int end) {
        int n = 0;
        for (int i = end - 1; i >= 0 && text.charAt(i) == '\\'; i--) n++;
        return n;
    }

    /** End offset of the last item of the array starting at {@code start}, or -1 if it is empty. */
    private int lastArrayItemEnd(int start) {
        int save = pos;
        pos = start + 1;
        int last = -1;
        while (true) {
            skipSpace();
            if (pos >= text.length()) break;
            char d = text.charAt(pos);
            if (d == ']') break;
            if (d == ',') {
                pos++;
                continue;
            }
            skipValue();
            last = pos;
        }
        pos = save;
        return last;
    }
}
