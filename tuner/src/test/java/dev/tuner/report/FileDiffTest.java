package dev.tuner.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuner.settings.FileChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A file change read back from the diff a document holds shows the same diff: files of many
 * shapes (created, removed, changed at the start, middle and end, in several places, emptied),
 * each diffed, read back with {@link FileDiff#fromUnified} and diffed again.
 */
class FileDiffTest {
    @Test
    void aDiffReadBackIsTheSameDiff() {
        Random r = new Random(7);
        int checked = 0;
        for (int n = 0; n < 300; n++) {
            List<String> before = new ArrayList<>();
            int lines = r.nextInt(40);
            for (int i = 0; i < lines; i++) before.add(r.nextInt(6) == 0 ? "" : "key" + r.nextInt(30) + " = " + r.nextInt(5));
            List<String> after = new ArrayList<>(before);
            int edits = 1 + r.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = after.isEmpty() ? 0 : r.nextInt(after.size() + 1);
                switch (r.nextInt(3)) {
                    case 0 -> after.add(at, "added" + e + " = " + r.nextInt(9));
                    case 1 -> { if (at < after.size()) after.remove(at); }
                    default -> { if (at < after.size()) after.set(at, "changed" + e); }
                }
            }
            String b = n % 17 == 0 ? null : text(before);
            String a = n % 23 == 0 ? null : text(after);
            if (a == null && b == null) continue;
            FileChange f = new FileChange(0, "/etc/x.conf", b, a, "0644");
            if (!f.changes()) continue;
            String diff = FileDiff.unified(f);
            FileChange back = FileDiff.fromUnified(0, f.path(), FileDiff.action(f), diff, "$.files[0]");
            assertThat(FileDiff.unified(back)).as("diff #%d:\n%s", n, diff).isEqualTo(diff);
            assertThat(FileDiff.action(back)).isEqualTo(FileDiff.action(f));
            checked++;
        }
        assertThat(checked).isGreaterThan(250);
    }

    @Test
    void whatIsNotADiffOfTunerIsRefusedNamingWhere() {
        assertThatThrownBy(() -> FileDiff.fromUnified(0, "/etc/x", "modify", "--- a/etc/x\n+++ b/etc/x\nnonsense\n", "$.plays[0].results[1].tasks[0].files[0]"))
                .hasMessageContaining("$.plays[0].results[1].tasks[0].files[0]").hasMessageContaining("/etc/x");
    }

    private static String text(List<String> lines) {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
