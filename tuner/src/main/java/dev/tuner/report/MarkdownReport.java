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
        return render(run, false);
    }

    /** {@code showSecrets}: show what {@link Masking} would hide (--show-secrets). */
    public static String render(RunResult run, boolean showSecrets) {
        StringBuilder sb = new StringBuilder();
        sb.append("## tuner ").append(run.mode().name().toLowerCase()).append(": `").append(run.playbook()).append("`\n\n");
        sb.append("| host | ok | changed | unreachable | failed | skipped |\n|---|---:|---:|---:|---:|---:|\n");
        for (RunResult.Recap r : run.recap()) {
            sb.append("| ").append(cell(r.host())).append(" | ").append(r.ok()).append(" | ").append(r.changed()).append(" | ")
                    .append(r.unreachable()).append(" | ").append(r.failed()).append(" | ").append(r.skipped()).append(" |\n");
        }
        for (RunResult.PlayResult p : run.plays()) {
            sb.append("\n### Play: ").append(p.name()).append("\n");
            for (String u : p.unmatched()) sb.append("\n> pattern `").append(u).append("` matched no hosts\n");
            for (HostResult h : p.results()) {
                Masking m = Masking.of(h, showSecrets);
                sb.append("\n#### ").append(h.host()).append(" — ").append(h.status().name().toLowerCase()).append("\n\n");
                if (h.error() != null) sb.append("> ").append(m.text(h.error())).append("\n\n");
                sb.append("| task | kind | setting | current | desired | state | cost | note |\n|---|---|---|---|---|---|---|---|\n");
                for (TaskResult t : h.tasks()) {
                    if (t.changes().isEmpty()) {
                        sb.append("| ").append(cell(t.name())).append(" | ").append(t.kind()).append(" | | | | ")
                                .append(t.status().name().toLowerCase()).append(" | | ").append(cell(m.text(t.message()))).append(" |\n");
                    }
                    for (Change c : t.changes()) {
                        sb.append("| ").append(cell(t.name())).append(" | ").append(c.kind()).append(" | `").append(c.key()).append("` | ")
                                .append(code(m.value(c, c.current()))).append(" | ").append(code(m.value(c, c.desired()))).append(" | ")
                                .append(marker(c)).append(" | ").append(c.cost().label()).append(" | ").append(cell(m.text(c.note()))).append(" |\n");
                    }
                }
                if (!h.verification().results().isEmpty()) {
                    sb.append("\n| benchmark | metric | before | after | Δ% | 95% CI of after/before | p | verdict |\n|---|---|---:|---:|---:|---|---:|---|\n");
                    for (var r : h.verification().results()) {
                        sb.append("| ").append(r.benchmark()).append(" | ").append(r.metric()).append(r.unit() != null ? " (" + r.unit() + ")" : "")
                                .append(" | ").append(num(r.beforeMedian())).append(" | ").append(num(r.afterMedian()))
                                .append(" | ").append(num(r.changePercent())).append(" | ")
                                .append(r.ciLow() == null ? "" : num(r.ciLow()) + " – " + num(r.ciHigh()))
                                .append(" | ").append(r.pValue() == null ? "" : String.format(java.util.Locale.ROOT, "%.3f", r.pValue()))
                                .append(" | **").append(r.verdict().label()).append("** |\n");
                    }
                    for (String t : h.verification().rolledBackTasks()) sb.append("\n> rolled back after a verified regression: ").append(t).append('\n');
                    for (String t : h.verification().keptRegressions()) sb.append("\n> **regression kept**: ").append(t).append('\n');
                }
                for (TaskResult t : h.tasks()) {
                    for (FileChange f : t.files()) {
                        if (!f.changes()) continue;
                        sb.append("\n<details><summary><code>").append(f.path()).append("</code> (").append(FileDiff.action(f))
                                .append(")</summary>\n\n```diff\n").append(m.diff(f)).append("```\n</details>\n");
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

    private static String code(String s) {
        return s == null ? "—" : "`" + s.replace("`", "'").replace("|", "\\|") + "`";
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
