package dev.tuner.report;

import dev.tuner.run.HostResult;
import dev.tuner.run.Mode;
import dev.tuner.run.RunResult;
import dev.tuner.run.TaskResult;
import dev.tuner.run.VerifyOutcome;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.FileChange;
import java.util.List;

/**
 * The console view: per play and host, each setting {@code current → desired} with a marker
 * ({@code ~} change, {@code =} in sync, {@code !} failed, {@code -} unsupported), file diffs when
 * asked, and Ansible's PLAY RECAP, followed by why the run stopped and which hosts it did not start.
 */
public final class TextReport {
    private final Style style;
    private final boolean diff;
    private final int verbosity;
    private final boolean showSecrets;

    public TextReport(Style style, boolean diff, int verbosity) {
        this(style, diff, verbosity, false);
    }

    /** {@code showSecrets}: show what {@link Masking} would hide (--show-secrets). */
    public TextReport(Style style, boolean diff, int verbosity, boolean showSecrets) {
        this.style = style;
        this.diff = diff;
        this.verbosity = verbosity;
        this.showSecrets = showSecrets;
    }

    public String render(RunResult run) {
        StringBuilder sb = new StringBuilder();
        for (RunResult.PlayResult play : run.plays()) {
            sb.append(style.bold(banner("PLAY [" + play.name() + "]"))).append('\n');
            for (String u : play.unmatched()) sb.append(style.yellow("  [WARNING] pattern '" + u + "' matched no hosts")).append('\n');
            if (play.results().isEmpty() && play.notStarted().isEmpty()) sb.append("  no hosts matched\n");
            for (HostResult h : play.results()) host(sb, run.mode(), h);
            if (!play.notStarted().isEmpty()) {
                sb.append('\n').append(style.bold("NOT STARTED " + String.join(", ", play.notStarted()))).append("  ")
                        .append(style.yellow("left as they were: " + play.stopped())).append('\n');
            }
            sb.append('\n');
        }
        recap(sb, run);
        return sb.toString();
    }

    private void host(StringBuilder sb, Mode mode, HostResult h) {
        Masking m = Masking.of(h, showSecrets);
        String head = "HOST " + h.host();
        sb.append('\n').append(style.bold(head));
        switch (h.status()) {
            case UNREACHABLE -> sb.append("  ").append(style.red("UNREACHABLE: " + m.text(h.error())));
            case FAILED -> sb.append("  ").append(style.red("FAILED")).append(h.error() != null ? style.red(": " + m.text(h.error())) : "");
            default -> { }
        }
        sb.append('\n');
        if (h.leftState() != null && h.status() == HostResult.Status.FAILED) sb.append("  left: ").append(m.text(h.leftState())).append('\n');
        for (TaskResult t : h.tasks()) task(sb, mode, t, m);
        for (String handler : h.handlersRun()) sb.append("  ").append(style.yellow("HANDLER [" + handler + "] ran")).append('\n');
        for (String note : m.texts(h.notes())) sb.append("  ").append(style.dim("note: " + note)).append('\n');
        verification(sb, h);
    }

    /** Before/after figures side by side, then what was rolled back and what regression was kept. */
    private void verification(StringBuilder sb, HostResult h) {
        var v = h.verification();
        if (v.results().isEmpty() && v.notes().isEmpty()) return;
        sb.append("  ").append(style.bold("VERIFY")).append('\n');
        if (v.design() != null) sb.append("    ").append(style.dim(designLine(v))).append('\n');
        if (!v.results().isEmpty()) {
            for (String line : dev.tuner.verify.report.TextTable.render(v.results()).split("\n")) {
                String colored = line.contains("regressed") ? style.red(line) : line.contains("improved") ? style.green(line) : line;
                sb.append("    ").append(colored).append('\n');
            }
        }
        for (String t : v.rolledBackTasks()) sb.append("  ").append(style.yellow("ROLLED BACK [" + t + "] after a verified regression")).append('\n');
        for (String t : v.keptRegressions()) sb.append("  ").append(style.red("REGRESSION KEPT: " + t + " (no rollback_on_regression)")).append('\n');
        for (String n : v.notes()) sb.append("  ").append(style.dim("note: " + n)).append('\n');
    }

    /** "design: interleaved (seed 7): the changes are toggled in rounds: live changes". */
    static String designLine(VerifyOutcome v) {
        return "design: " + v.design().label() + (v.seed() != null ? " (seed " + v.seed() + ")" : "") + ": " + v.designNote();
    }

    private void task(StringBuilder sb, Mode mode, TaskResult t, Masking m) {
        sb.append("  TASK [").append(t.name()).append("] ").append(style.dim("(" + t.kind() + ")"));
        switch (t.status()) {
            case SKIPPED -> sb.append(' ').append(style.cyan("skipped" + (t.message() != null ? ": " + m.text(t.message()) : "")));
            case FAILED -> {
                if (t.message() != null) sb.append(' ').append(style.red("failed: " + m.text(t.message())));
            }
            default -> { }
        }
        sb.append('\n');
        int width = t.changes().stream().mapToInt(c -> c.key().length()).max().orElse(0);
        for (Change c : t.changes()) {
            if (c.state() == ChangeState.OK && verbosity < 1 && mode == Mode.APPLY) continue;
            sb.append("    ").append(marker(c)).append(' ').append(pad(c.key(), width)).append("  ");
            String current = show(m.value(c, c.current()));
            String desired = show(m.value(c, c.desired()));
            String note = m.text(c.note());
            switch (c.state()) {
                case OK -> sb.append(style.green(desired)).append(style.dim("  in sync"));
                case CHANGE -> sb.append(style.yellow(current + " → " + desired))
                        .append(style.dim("  [" + c.cost().label() + "]"))
                        .append(note != null && !note.equals("rollback") ? style.dim("  " + note) : "");
                case UNSUPPORTED -> sb.append(style.cyan("unsupported: " + note));
                case FAILED -> sb.append(style.red((c.current() != null ? current + " → " + desired + "  " : "") + "failed: " + note));
            }
            sb.append('\n');
        }
        for (FileChange f : t.files()) {
            if (!f.changes()) continue;
            sb.append("    ").append(style.yellow("~")).append(" file ").append(f.path()).append(style.dim("  (" + FileDiff.action(f) + ")")).append('\n');
            if (diff) {
                for (String line : m.diff(f).split("\n")) {
                    if (line.isEmpty()) continue;
                    String colored = line.startsWith("+") && !line.startsWith("+++") ? style.green(line)
                            : line.startsWith("-") && !line.startsWith("---") ? style.red(line) : style.dim(line);
                    sb.append("      ").append(colored).append('\n');
                }
            }
        }
    }

    private String marker(Change c) {
        return switch (c.state()) {
            case OK -> style.green("=");
            case CHANGE -> style.yellow("~");
            case UNSUPPORTED -> style.cyan("-");
            case FAILED -> style.red("!");
        };
    }

    private static String show(String v) {
        // An empty value (an unset vmx advanced setting, an empty sysctl) must still be visible.
        return v == null ? "(none)" : v.isEmpty() ? "\"\"" : v;
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    private static String banner(String title) {
        return title + " " + "*".repeat(Math.max(3, 72 - title.length()));
    }

    private void recap(StringBuilder sb, RunResult run) {
        sb.append(style.bold(banner("PLAY RECAP"))).append('\n');
        List<RunResult.Recap> recap = run.recap();
        int w = recap.stream().mapToInt(r -> r.host().length()).max().orElse(0);
        for (RunResult.Recap r : recap) {
            String host = pad(r.host(), w);
            boolean bad = r.failed() > 0 || r.unreachable() > 0;
            sb.append(bad ? style.red(host) : r.changed() > 0 || r.notStarted() > 0 ? style.yellow(host) : style.green(host))
                    .append(" : ")
                    .append(style.green("ok=" + r.ok())).append("  ")
                    .append(r.changed() > 0 ? style.yellow("changed=" + r.changed()) : "changed=0").append("  ")
                    .append(r.unreachable() > 0 ? style.red("unreachable=" + r.unreachable()) : "unreachable=0").append("  ")
                    .append(r.failed() > 0 ? style.red("failed=" + r.failed()) : "failed=0").append("  ")
                    .append(r.skipped() > 0 ? style.cyan("skipped=" + r.skipped()) : "skipped=0")
                    .append(r.notStarted() > 0 ? "  " + style.yellow("not_started=" + r.notStarted()) : "")
                    .append('\n');
        }
        if (recap.isEmpty()) sb.append("no hosts\n");
        if (run.stopped() != null) {
            sb.append(style.yellow("STOPPED: " + run.stopped())).append('\n')
                    .append(style.yellow("not started, left as they were: " + String.join(", ", run.notStarted()))).append('\n');
        }
    }
}
