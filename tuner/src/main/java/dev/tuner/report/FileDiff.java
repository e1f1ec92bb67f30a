package dev.tuner.report;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.tuner.settings.FileChange;
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

    private static List<String> lines(String s) {
        if (s == null || s.isEmpty()) return List.of();
        String body = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        return Arrays.asList(body.split("\n", -1));
    }
}
