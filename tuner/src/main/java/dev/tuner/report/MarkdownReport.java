package dev.tuner.report;

import dev.tuner.run.HostResult;
import dev.tuner.run.RunResult;
import dev.tuner.run.TaskResult;
import dev.tuner.settings.Change;
import dev.tuner.settings.FileChange;

/** A plan as Markdown tables, to paste into a change request. */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(RunResult run) {
        return render(run, "", false);
    }

    /**
     * {@code headline}: a line under the title, e.g. which slice of the hosts ran; empty for none.
     * {@code showSecrets}: show what {@link Masking} would hide (--show-secrets).
     */
    public static String render(RunResult run, String headline, boolean showSecrets) {
        StringBuilder sb = new StringBuilder();
        sb.append("## tuner ").append(run.mode().name().toLowerCase()).append(": ").append(code(run.playbook())).append("\n\n");
        if (!headline.isEmpty()) sb.append('_').append(cell(headline)).append("_\n\n");
        sb.append("| host | ok | changed | unreachable | failed | skipped | not started |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (RunResult.Recap r : run.recap()) {
            sb.append("| ").append(cell(r.host())).append(" | ").append(r.ok()).append(" | ").append(r.changed()).append(" | ")
                    .append(r.unreachable()).append(" | ").append(r.failed()).append(" | ").append(r.skipped()).append(" | ")
                    .append(r.notStarted()).append(" |\n");
        }
        if (run.stopped() != null) {
            sb.append("\n> **stopped**: ").append(cell(run.stopped())).append("  \n> not started, left as they were: ")
                    .append(cell(String.join(", ", run.notStarted()))).append('\n');
        }
        for (RunResult.PlayResult p : run.plays()) {
            sb.append("\n### Play: ").append(cell(p.name())).append("\n");
            for (String u : p.unmatched()) sb.append("\n> pattern ").append(code(u)).append(" matched no hosts\n");
            if (!p.notStarted().isEmpty())
                sb.append("\n> not started: ").append(cell(String.join(", ", p.notStarted()))).append(" (").append(cell(p.stopped())).append(")\n");
            for (HostResult h : p.results()) {
                Masking m = Masking.of(h, showSecrets);
                sb.append("\n#### ").append(cell(h.host())).append(" — ").append(h.status().name().toLowerCase()).append("\n\n");
                if (h.error() != null) sb.append("> ").append(cell(m.text(h.error()))).append("\n\n");
                sb.append("| task | kind | setting | current | desired | state | cost | note |\n|---|---|---|---|---|---|---|---|\n");
                for (TaskResult t : h.tasks()) {
                    if (t.changes().isEmpty()) {
                        sb.append("| ").append(cell(t.name())).append(" | ").append(t.kind()).append(" | | | | ")
                                .append(t.status().name().toLowerCase()).append(" | | ").append(cell(m.text(t.message()))).append(" |\n");
                    }
                    for (Change c : t.changes()) {
                        sb.append("| ").append(cell(t.name())).append(" | ").append(c.kind()).append(" | ").append(code(c.key())).append(" | ")
                                .append(code(m.value(c, c.current()))).append(" | ").append(code(m.value(c, c.desired()))).append(" | ")
                                .append(marker(c)).append(" | ").append(c.cost().label()).append(" | ").append(cell(m.text(c.note()))).append(" |\n");
                    }
                }
                if (!h.verification().results().isEmpty()) {
                    if (h.verification().design() != null) sb.append("\n").append(cell(TextReport.designLine(h.verification()))).append("\n");
                    sb.append("\n| benchmark | metric | before | after | Δ% | 95% CI of after/before | p | design | verdict |\n|---|---|---:|---:|---:|---|---:|---|---|\n");
                    for (var r : h.verification().results()) {
                        sb.append("| ").append(cell(r.benchmark())).append(" | ").append(cell(r.metric())).append(r.unit() != null ? " (" + cell(r.unit()) + ")" : "")
                                .append(" | ").append(num(r.beforeMedian())).append(" | ").append(num(r.afterMedian()))
                                .append(" | ").append(num(r.changePercent())).append(" | ")
                                .append(r.ciLow() == null ? "" : num(r.ciLow()) + " – " + num(r.ciHigh()))
                                .append(" | ").append(r.pValue() == null ? "" : String.format(java.util.Locale.ROOT, "%.3f", r.pValue()))
                                .append(" | ").append(dev.tuner.verify.report.TextTable.design(r))
                                .append(" | **").append(r.verdict().label()).append("** |\n");
                    }
                    for (String t : h.verification().rolledBackTasks()) sb.append("\n> rolled back after a verified regression: ").append(cell(t)).append('\n');
                    for (String t : h.verification().keptRegressions()) sb.append("\n> **regression kept**: ").append(cell(t)).append('\n');
                }
                for (TaskResult t : h.tasks()) {
                    for (FileChange f : t.files()) {
                        if (!f.changes()) continue;
                        String diff = m.diff(f);
                        String fence = "`".repeat(Math.max(3, longestBacktickRun(diff) + 1));
                        sb.append("\n<details><summary><code>").append(html(f.path())).append("</code> (").append(FileDiff.action(f))
                                .append(")</summary>\n\n").append(fence).append("diff\n").append(diff).append(fence).append("\n</details>\n");
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String num(Double d) {
        return d == null ? "" : String.format(java.util.Locale.ROOT, Math.abs(d) >= 100 ? "%.0f" : "%.3g", d);
    }

    private static String marker(Change c) {
        return switch (c.state()) {
            case OK -> "in sync";
            case CHANGE -> "**change**";
            case UNSUPPORTED -> "unsupported";
            case FAILED -> "**failed**";
        };
    }

    /**
     * A value exactly as it is, in a code span: a backtick fence longer than any run of backticks
     * in it, a space of padding where it starts or ends with a backtick or a space (CommonMark
     * strips one from each side), {@code \|} for a pipe (GFM splits table cells before code spans),
     * and a line break, which would end the table row, as a visible ⏎.
     */
    static String code(String s) {
        if (s == null) return "—";
        if (s.isEmpty()) return "*(empty)*";
        String v = s.replace("\r\n", "\n").replace('\n', '⏎').replace("|", "\\|");
        String fence = "`".repeat(longestBacktickRun(v) + 1);
        boolean pad = v.startsWith("`") || v.endsWith("`") || (v.startsWith(" ") && v.endsWith(" ") && !v.isBlank());
        return fence + (pad ? " " : "") + v + (pad ? " " : "") + fence;
    }

    private static int longestBacktickRun(String s) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            run = s.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * Text (task names, notes, errors) shown as written: every character Markdown or GFM could
     * read as markup is backslash-escaped, and a line break, which would end a table row, is a space.
     */
    static String cell(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') out.append(' ');
            else if ("\\`*_[]<>|~&!#".indexOf(c) >= 0 || (out.isEmpty() && "-+=".indexOf(c) >= 0)) out.append('\\').append(c);
            else out.append(c);
        }
        return out.toString();
    }
}
