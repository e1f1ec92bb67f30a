package dev.tuner.report;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.tuner.settings.FileChange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Unified diffs of files as a reviewer reads them in a change request. */
public final class FileDiff {
    private FileDiff() {}

    public static String action(FileChange f) {
        if (f.before() == null) return "create";
        if (f.after() == null) return "remove";
        return f.changes() ? "modify" : "unchanged";
    }

    public static String unified(FileChange f) {
        List<String> a = lines(f.before());
        List<String> b = lines(f.after());
        Patch<String> patch = DiffUtils.diff(a, b);
        List<String> out = UnifiedDiffUtils.generateUnifiedDiff(
                f.before() == null ? "/dev/null" : "a" + f.path(),
                f.after() == null ? "/dev/null" : "b" + f.path(), a, patch, 3);
        return String.join("\n", out) + (out.isEmpty() ? "" : "\n");
    }

    private static final java.util.regex.Pattern HUNK = java.util.regex.Pattern.compile("@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");

    /**
     * A file change as {@link #unified} shows it, read back from a document that has only the diff:
     * the lines the hunks show are the file's, the lines between hunks are not known and stand as
     * placeholders that are the same on both sides, so they never show in a diff. Checked by
     * diffing again: the result's {@link #unified} is the diff given.
     *
     * @param where where the diff was found, for the message when it is not one this class wrote
     */
    public static FileChange fromUnified(int task, String path, String action, String diff, String where) {
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        int placeholder = 0;
        String[] lines = diff.split("\n", -1);
        for (int i = 2; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) break;
            java.util.regex.Matcher m = HUNK.matcher(line);
            if (m.matches()) {
                // DiffUtils numbers a hunk from the line after those before it, even when it is empty.
                int gap = Integer.parseInt(m.group(1)) - 1 - before.size();
                if (gap < 0 || gap != Integer.parseInt(m.group(3)) - 1 - after.size()) throw unreadable(where, path);
                for (int g = 0; g < gap; g++) {
                    String unknown = "\u0000unchanged line " + placeholder++;
                    before.add(unknown);
                    after.add(unknown);
                }
            } else if (line.startsWith(" ")) {
                before.add(line.substring(1));
                after.add(line.substring(1));
            } else if (line.startsWith("-")) {
                before.add(line.substring(1));
            } else if (line.startsWith("+")) {
                after.add(line.substring(1));
            } else {
                throw unreadable(where, path);
            }
        }
        String a = action.equals("create") ? null : before.isEmpty() ? "" : String.join("\n", before) + "\n";
        String b = action.equals("remove") ? null : after.isEmpty() ? "" : String.join("\n", after) + "\n";
        FileChange f = new FileChange(task, path, a, b, null);
        if (!unified(f).equals(diff) || !action(f).equals(action)) throw unreadable(where, path);
        return f;
    }

    private static IllegalArgumentException unreadable(String where, String path) {
        return new IllegalArgumentException(where + ": the diff of " + path + " is not a unified diff tuner wrote");
    }

    private static List<String> lines(String s) {
        if (s == null || s.isEmpty()) return List.of();
        String body = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        return Arrays.asList(body.split("\n", -1));
    }
}
