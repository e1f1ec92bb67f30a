package dev.tuner.settings.governor;

import dev.tuner.diag.Diagnostics;
import dev.tuner.settings.ApplyException;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.Desired;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.DefaultBenchmarks;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindInfo;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.KindPlans;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.files.HostFiles;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.SpecException;
import dev.tuner.settings.kit.ManagedHeader;
import dev.tuner.settings.kit.Persistence;
import dev.tuner.settings.kit.Refusal;
import dev.tuner.settings.kit.SameKey;
import dev.tuner.template.BuiltinTemplates;
import dev.tuner.template.Templater;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.Shell;
import dev.tuner.yaml.YamlDocument;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The CPU frequency governor and turbo, through /sys/devices/system/cpu/cpuN/cpufreq.
 * {@code governor: performance} or {@code governor: {governor: performance, cpus: "0-7", no_turbo: false}}.
 * Persisted by a small systemd unit rendered from templates/tuner-cpufreq.service.ftl; a host
 * without systemd is told plainly that the value will not survive a reboot.
 */
public final class GovernorKind implements SettingKind {
    public static final String NAME = "governor";
    private static final KindInfo INFO = new KindInfo(NAME, "CPU frequency governor (and turbo) through sysfs cpufreq, persisted by a systemd unit",
            DefaultBenchmarks.always("cpu"));
    public static final String UNIT = "tuner-cpufreq.service";
    /** The target field of a governor change: the CPUs it sets, as a CPU list ("0-3,8"). */
    static final String TARGET_CPUS = "cpus";
    private static final String GOVERNOR = "governor";
    private static final String NO_TURBO_KEY = "no_turbo";
    static final String CPU_DIR = "/sys/devices/system/cpu";
    static final String NO_TURBO = CPU_DIR + "/intel_pstate/no_turbo";
    static final String BOOST = CPU_DIR + "/cpufreq/boost";
    private static final Set<String> OPTIONS = Set.of("governor", "cpus", "no_turbo");
    private static final Pattern GOVERNOR_NAME = Pattern.compile("[a-z0-9_-]+");
    private static final Pattern UNIT_ENV = Pattern.compile("Environment=TUNER_GOVERNOR=(\\S+) TUNER_CPUS=(\\S+)(?: TUNER_NO_TURBO=(\\d))?");

    /**
     * Reads every CPU's governor in one pass: "N -" for a CPU without cpufreq, else "N gov|available|driver".
     * The shell's read builtin, not cat: three processes per CPU are most of a read on a large host.
     */
    private static final String CPU_SCAN = "for d in " + CPU_DIR + "/cpu[0-9]*; do n=${d##*/cpu}; "
            + "if [ -d \"$d/cpufreq\" ]; then g= a= v=; "
            + "{ read -r g < \"$d/cpufreq/scaling_governor\"; } 2>/dev/null; "
            + "{ read -r a < \"$d/cpufreq/scaling_available_governors\"; } 2>/dev/null; "
            + "{ read -r v < \"$d/cpufreq/scaling_driver\"; } 2>/dev/null; "
            + "printf '%s %s|%s|%s\\n' \"$n\" \"$g\" \"$a\" \"$v\"; "
            + "else printf '%s -\\n' \"$n\"; fi; done";
    private static final String SYSTEMD_PROBE = "if [ -d /run/systemd/system ]; then echo running; "
            + "elif [ -d /etc/systemd/system ] && command -v systemctl >/dev/null 2>&1; then echo installed; else echo none; fi";

    static String unitPath(HostContext host) {
        return host.var("tuner_systemd_dir", "/etc/systemd/system") + "/" + UNIT;
    }

    @Override
    public KindInfo info() {
        return INFO;
    }

    // ---------------------------------------------------------------- validation

    @Override
    public void validate(Node spec, YamlDocument doc, Diagnostics diags) {
        if (spec instanceof ScalarNode s) {
            checkGovernor(s, doc, diags);
            return;
        }
        if (!(spec instanceof MappingNode map)) {
            diags.error(doc.at(spec), "governor: expected a governor name or a mapping {governor, cpus, no_turbo}, got a "
                    + YamlDocument.typeName(spec));
            return;
        }
        boolean hasGovernor = false;
        for (NodeTuple t : map.getValue()) {
            String k = t.getKeyNode() instanceof ScalarNode ks ? ks.getValue() : "?";
            Node v = t.getValueNode();
            switch (k) {
                case "governor" -> {
                    hasGovernor = true;
                    if (v instanceof ScalarNode s) checkGovernor(s, doc, diags);
                    else diags.error(doc.at(v), "governor: 'governor' must be a name such as performance");
                }
                case "cpus" -> {
                    if (!(v instanceof ScalarNode s)) {
                        diags.error(doc.at(v), "governor: 'cpus' must be a CPU list such as \"0-7,12\"");
                    } else if (!Templater.isTemplated(s.getValue())) {
                        try {
                            CpuList.parse(s.getValue());
                        } catch (IllegalArgumentException e) {
                            diags.error(doc.at(v), "governor: " + e.getMessage());
                        }
                    }
                }
                case "no_turbo" -> {
                    if (!(v instanceof ScalarNode s) || !(YamlDocument.scalar(s) instanceof Boolean || Templater.isTemplated(s.getValue())))
                        diags.error(doc.at(v), "governor: 'no_turbo' must be true or false");
                }
                default -> diags.error(doc.at(t.getKeyNode()), "governor: unknown option '" + k + "'"
                        + dev.tuner.diag.Suggest.didYouMean(k, OPTIONS) + "; known: governor, cpus, no_turbo");
            }
        }
        if (!hasGovernor && map.getValue().stream().noneMatch(t -> t.getKeyNode() instanceof ScalarNode ks && ks.getValue().equals("no_turbo")))
            diags.error(doc.at(spec), "governor: give 'governor' and/or 'no_turbo'");
    }

    private static void checkGovernor(ScalarNode s, YamlDocument doc, Diagnostics diags) {
        if (Templater.isTemplated(s.getValue())) return;
        if (!GOVERNOR_NAME.matcher(s.getValue()).matches())
            diags.error(doc.at(s), "governor: '" + s.getValue() + "' is not a governor name (performance, powersave, schedutil, ondemand, ...)");
    }

    // ---------------------------------------------------------------- desired state

    @Override
    public List<Desired> desired(int task, Object spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (spec instanceof Map<?, ?> map) map.forEach((k, v) -> m.put(String.valueOf(k), v));
        else m.put("governor", spec);
        List<Desired> out = new ArrayList<>();
        String cpus = m.get("cpus") == null ? null : String.valueOf(m.get("cpus"));
        if (cpus != null) {
            try {
                CpuList.parse(cpus);
            } catch (IllegalArgumentException e) {
                throw new SpecException("governor: " + e.getMessage());
            }
        }
        Object g = m.get("governor");
        if (g != null) {
            String gov = String.valueOf(g).trim();
            if (!GOVERNOR_NAME.matcher(gov).matches()) throw new SpecException("governor: '" + gov + "' is not a governor name");
            out.add(new Desired(task, GOVERNOR, gov, cpus == null ? Map.of() : Map.of("cpus", cpus)));
        }
        Object nt = m.get("no_turbo");
        if (nt != null) {
            String v = String.valueOf(nt).trim().toLowerCase();
            if (!v.equals("true") && !v.equals("false")) throw new SpecException("governor: no_turbo must be true or false, got '" + nt + "'");
            out.add(new Desired(task, NO_TURBO_KEY, v));
        }
        return out;
    }

    // ---------------------------------------------------------------- read and plan

    @Override
    public void read(List<Desired> wanted, HostContext host, ReadScript script) {
        script.shell("governor:cpus", CPU_SCAN);
        script.file("governor:no_turbo", NO_TURBO);
        script.file("governor:boost", BOOST);
        script.shell("governor:systemd", SYSTEMD_PROBE);
        script.file("governor:unit", unitPath(host));
        script.file("governor:enabled", wantsLink(host));
    }

    private static String systemdDir(HostContext host) {
        return host.var("tuner_systemd_dir", "/etc/systemd/system");
    }

    private static String wantsLink(HostContext host) {
        return systemdDir(host) + "/multi-user.target.wants/" + UNIT;
    }

    /** One CPU as read: its governor and what it offers (empty governor = no cpufreq). */
    record Cpu(int n, String governor, List<String> available, String driver) {
        boolean hasCpufreq() {
            return governor != null;
        }
    }

    static TreeMap<Integer, Cpu> parseCpus(String text) {
        TreeMap<Integer, Cpu> cpus = new TreeMap<>();
        for (String line : text.split("\n")) {
            line = line.trim();
            int sp = line.indexOf(' ');
            if (sp < 0) continue;
            int n;
            try {
                n = Integer.parseInt(line.substring(0, sp));
            } catch (NumberFormatException e) {
                continue;
            }
            String rest = line.substring(sp + 1);
            if (rest.equals("-")) {
                cpus.put(n, new Cpu(n, null, List.of(), null));
                continue;
            }
            String[] p = rest.split("\\|", -1);
            List<String> avail = p.length > 1 && !p[1].isBlank() ? List.of(p[1].trim().split("\\s+")) : List.of();
            cpus.put(n, new Cpu(n, p[0].trim(), avail, p.length > 2 ? p[2].trim() : ""));
        }
        return cpus;
    }

    /** What the boot unit sets, if the unit exists and is enabled. */
    record Persisted(String governor, TreeSet<Integer> cpus, String noTurbo) {}

    static Persisted parseUnit(ReadOutput.Entry unit, ReadOutput.Entry enabled) {
        if (!unit.ok() || enabled.status() == ReadOutput.Status.MISSING) return null;
        Matcher m = UNIT_ENV.matcher(unit.text());
        if (!m.find()) return null;
        return new Persisted(m.group(1), CpuList.parse(m.group(2)), m.group(3));
    }

    @Override
    public KindPlan plan(List<Desired> wanted, HostContext host, ReadOutput current) {
        TreeMap<Integer, Cpu> cpus = parseCpus(current.entry("governor:cpus").text());
        boolean anyCpufreq = cpus.values().stream().anyMatch(Cpu::hasCpufreq);
        ReadOutput.Entry systemdEntry = current.entry("governor:systemd");
        String systemd = systemdEntry.ok() ? systemdEntry.text().trim() : "none";
        ReadOutput.Entry unitEntry = current.entry("governor:unit");
        Persisted persisted = parseUnit(unitEntry, current.entry("governor:enabled"));
        String cannotPersist = systemd.equals("none") ? "not persisted: host has no systemd; the value lasts until reboot" : null;

        List<String> notes = new ArrayList<>();
        // One governor (and one turbo setting) per host: the boot unit keeps one, so CPU lists do not make separate keys.
        Map<String, Desired> byKey = SameKey.laterWins(wanted, Desired::key, GovernorKind::setting, String::equals, notes);
        try {
            HostFiles.checkPath(unitPath(host));
        } catch (SpecException e) {
            return Refusal.failAll(NAME, byKey.values(), d -> Cost.LIVE, Desired::value, "tuner_systemd_dir: " + e.getMessage() + "; nothing is changed");
        }
        List<Change> changes = new ArrayList<>();
        String wantGovernor = null;
        TreeSet<Integer> wantCpus = null;
        String wantNoTurbo = null;
        for (Desired d : byKey.values()) {
            if (!anyCpufreq) {
                changes.add(new Change(d.task(), NAME, d.key(), null, d.value(), null, ChangeState.UNSUPPORTED, Cost.NONE,
                        "no cpufreq on this host (" + CPU_DIR + "/cpu*/cpufreq absent: a VM or a missing cpufreq driver)"));
                continue;
            }
            if (d.key().equals(GOVERNOR)) {
                Change c = planGovernor(d, cpus, persisted, cannotPersist);
                if (c.state() != ChangeState.FAILED) {
                    wantGovernor = d.value();
                    wantCpus = selectedCpus(d, cpus);
                }
                changes.add(c);
            } else {
                Change c = planNoTurbo(d, current, persisted, cannotPersist);
                if (c.state() != ChangeState.FAILED && c.state() != ChangeState.UNSUPPORTED) wantNoTurbo = d.value().equals("true") ? "1" : "0";
                changes.add(c);
            }
        }

        List<FileChange> files = new ArrayList<>();
        if (!systemd.equals("none") && (wantGovernor != null || wantNoTurbo != null)) {
            String gov = wantGovernor != null ? wantGovernor
                    : persisted != null ? persisted.governor()
                    : cpus.values().stream().filter(Cpu::hasCpufreq).findFirst().orElseThrow().governor();
            TreeSet<Integer> set = wantCpus != null ? wantCpus : allWithCpufreq(cpus);
            String after = renderUnit(gov, set, wantNoTurbo);
            FileChange unit = FileChange.of(-1, unitPath(host), unitEntry, after, null);
            boolean anyChange = changes.stream().anyMatch(Change::isChange);
            if (unit.changes() || anyChange) files.add(unit);
        } else if (cannotPersist != null && changes.stream().anyMatch(Change::isChange)) {
            notes.add(cannotPersist);
        }
        return new KindPlan(NAME, changes, files, notes);
    }

    /** What a task asks for, as two tasks are compared and named in a note: the governor with its CPU list. */
    private static String setting(Desired d) {
        Object cpus = d.options().get("cpus");
        return cpus == null ? d.value() : d.value() + ", cpus " + CpuList.format(CpuList.parse(String.valueOf(cpus)));
    }

    private static TreeSet<Integer> allWithCpufreq(TreeMap<Integer, Cpu> cpus) {
        return cpus.values().stream().filter(Cpu::hasCpufreq).map(Cpu::n).collect(Collectors.toCollection(TreeSet::new));
    }

    private static TreeSet<Integer> selectedCpus(Desired d, TreeMap<Integer, Cpu> cpus) {
        Object spec = d.options().get("cpus");
        return spec == null ? allWithCpufreq(cpus) : CpuList.parse(String.valueOf(spec));
    }

    private Change planGovernor(Desired d, TreeMap<Integer, Cpu> cpus, Persisted persisted, String cannotPersist) {
        TreeSet<Integer> selected = selectedCpus(d, cpus);
        String key = d.options().containsKey("cpus") ? "governor[cpus " + CpuList.format(selected) + "]" : GOVERNOR;
        List<Integer> unknown = selected.stream().filter(n -> !cpus.containsKey(n) || !cpus.get(n).hasCpufreq()).toList();
        if (!unknown.isEmpty())
            return new Change(d.task(), NAME, key, null, d.value(), null, ChangeState.FAILED, Cost.NONE,
                    "CPU " + CpuList.format(unknown) + " does not exist or has no cpufreq (host has " + CpuList.format(allWithCpufreq(cpus)) + ")");
        // Group CPUs by governor so a mixed host reads "powersave (cpu 0-3), performance (cpu 4-7)".
        Map<String, TreeSet<Integer>> byGovernor = new TreeMap<>();
        for (int n : selected) byGovernor.computeIfAbsent(cpus.get(n).governor(), g -> new TreeSet<>()).add(n);
        String running = byGovernor.size() == 1 ? byGovernor.keySet().iterator().next()
                : byGovernor.entrySet().stream().map(e -> e.getKey() + " (cpu " + CpuList.format(e.getValue()) + ")").collect(Collectors.joining(", "));
        for (int n : selected) {
            List<String> avail = cpus.get(n).available();
            if (!avail.isEmpty() && !avail.contains(d.value()))
                return new Change(d.task(), NAME, key, running, d.value(), null, ChangeState.FAILED, Cost.NONE,
                        "governor '" + d.value() + "' is not available on cpu" + n + " (driver " + cpus.get(n).driver()
                                + " offers: " + String.join(", ", avail) + ")");
        }
        String persistedValue = persisted != null && persisted.cpus().containsAll(selected) ? persisted.governor() : null;
        return Persistence.judge(d.task(), NAME, key, d.value(), Persistence.Reading.of(running, persistedValue), cannotPersist,
                String::equals, Cost.LIVE, Map.of(TARGET_CPUS, CpuList.format(selected)));
    }

    private Change planNoTurbo(Desired d, ReadOutput current, Persisted persisted, String cannotPersist) {
        ReadOutput.Entry noTurbo = current.entry("governor:no_turbo");
        ReadOutput.Entry boost = current.entry("governor:boost");
        String running;
        if (noTurbo.ok()) running = noTurbo.text().trim().equals("1") ? "true" : "false";
        else if (boost.ok()) running = boost.text().trim().equals("0") ? "true" : "false";
        else return new Change(d.task(), NAME, NO_TURBO_KEY, null, d.value(), null, ChangeState.UNSUPPORTED, Cost.NONE,
                    "no turbo control on this host (neither intel_pstate/no_turbo nor cpufreq/boost)");
        String persistedValue = persisted == null || persisted.noTurbo() == null ? null : (persisted.noTurbo().equals("1") ? "true" : "false");
        return Persistence.judge(d.task(), NAME, NO_TURBO_KEY, d.value(), Persistence.Reading.of(running, persistedValue), cannotPersist,
                String::equals, Cost.LIVE, Map.of());
    }

    static String renderUnit(String governor, TreeSet<Integer> cpus, String noTurbo) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("tuner_managed", ManagedHeader.TEXT);
        model.put("governor", governor);
        model.put("cpus", cpus.stream().map(String::valueOf).collect(Collectors.joining(",")));
        if (noTurbo != null) model.put("noTurbo", noTurbo);
        return new Templater().renderTemplate(UNIT + ".ftl", BuiltinTemplates.text("tuner-cpufreq.service.ftl"), model);
    }

    // ---------------------------------------------------------------- apply

    @Override
    public ApplyReport apply(Connection connection, KindPlan plan, HostContext host) {
        List<Change> result = new ArrayList<>();
        List<Change> set = new ArrayList<>();
        boolean anyRefused = false;
        for (Change c : plan.changes()) {
            if (!c.isChange() || c.current() != null && c.current().equals(c.desired())) {
                result.add(c);
                continue;
            }
            String error = write(connection, c);
            if (error == null) set.add(c);
            else anyRefused = true;
            result.add(error == null ? c : c.withState(ChangeState.FAILED, error));
        }
        List<FileChange> written = new ArrayList<>();
        if (!anyRefused) {
            for (FileChange f : plan.files()) {
                if (f.changes()) {
                    try {
                        HostFiles.write(connection, f, null, null);
                    } catch (ApplyException e) {
                        return new ApplyReport(putBack(connection, result, set, e.getMessage()), List.of(), List.of());
                    }
                    written.add(f);
                }
                // Also when the unit already holds the planned bytes: it may have been disabled by hand.
                enableUnit(connection, f, host);
            }
        }
        return new ApplyReport(result, written, anyRefused && !plan.files().isEmpty()
                ? List.of("boot unit left unchanged because a value could not be set") : List.of());
    }

    private static String write(Connection c, Change ch) {
        return ch.key().equals(NO_TURBO_KEY) ? writeNoTurbo(c, ch.desired()) : writeGovernor(c, ch);
    }

    /**
     * The boot unit could not be written (edited on the host since the plan read it, or the write
     * failed): the running values this apply set go back, so the host keeps, for the governor, what
     * it had, and the unit stays as it is. Every change fails, naming the unit's reason.
     */
    private static List<Change> putBack(Connection c, List<Change> result, List<Change> set, String why) {
        Set<String> restored = new HashSet<>();
        Map<String, String> stuck = new HashMap<>();
        for (Change back : KindPlans.inverse(NAME, set, List.of()).changes()) {
            String error = write(c, back);
            if (error == null) restored.add(back.key());
            else stuck.put(back.key(), error);
        }
        return Refusal.fileRefused(result, why, restored, stuck);
    }

    /** Sets the governor of the change's CPUs (its target); returns the host's refusal, or null. */
    private static String writeGovernor(Connection c, Change ch) {
        // Plans may come back from a journal file for rollback: check again what reaches the shell.
        if (!GOVERNOR_NAME.matcher(ch.desired()).matches())
            return "cannot set governor '" + ch.desired() + "': not a single governor name (a host with mixed governors is restored CPU by CPU only by hand)";
        String target = ch.target(TARGET_CPUS);
        if (target == null && !ch.key().equals(GOVERNOR))
            return "not set: this change was journaled without the CPUs it is for (by a tuner older than typed change targets); "
                    + "set the governor of those CPUs to " + ch.desired() + " by hand in " + CPU_DIR + "/cpuN/cpufreq/scaling_governor";
        String loop;
        if (target == null) {
            // Journaled by an older tuner for every CPU: every CPU with cpufreq now.
            loop = "for f in " + CPU_DIR + "/cpu[0-9]*/cpufreq/scaling_governor; do";
        } else {
            TreeSet<Integer> cpus;
            try {
                cpus = CpuList.parse(target);
            } catch (IllegalArgumentException e) {
                return "not set: the change's CPU list is unusable: " + e.getMessage();
            }
            loop = "for n in " + cpus.stream().map(String::valueOf).collect(Collectors.joining(" "))
                    + "; do f=" + CPU_DIR + "/cpu$n/cpufreq/scaling_governor;";
        }
        // The governor name matches [a-z0-9_-]+ and the CPU list is numbers: nothing here a shell could interpret.
        String script = loop + " if ! e=$( { env printf '%s\\n' " + ch.desired() + " > \"$f\"; } 2>&1 ); then echo \"$f: $e\"; exit 1; fi; "
                + "r=$(cat \"$f\"); [ \"$r\" = " + ch.desired() + " ] || { echo \"$f reads $r after write\"; exit 1; }; done";
        ExecResult r = c.exec(script, null, Duration.ofMinutes(1));
        return r.ok() ? null : "kernel refused governor " + ch.desired() + ": " + (r.out() + r.err()).strip();
    }

    private static String writeNoTurbo(Connection c, String wanted) {
        if (!wanted.equals("true") && !wanted.equals("false")) return "no_turbo must be true or false, got '" + wanted + "'";
        String one = wanted.equals("true") ? "1" : "0";
        String boost = wanted.equals("true") ? "0" : "1";
        String script = "if [ -e " + NO_TURBO + " ]; then f=" + NO_TURBO + "; v=" + one + "; else f=" + BOOST + "; v=" + boost + "; fi; "
                + "if ! e=$( { env printf '%s\\n' $v > $f; } 2>&1 ); then echo \"$f: $e\"; exit 1; fi; [ \"$(cat $f)\" = $v ] || { echo \"$f did not take $v\"; exit 1; }";
        ExecResult r = c.exec(script, null, Duration.ofMinutes(1));
        return r.ok() ? null : "kernel refused no_turbo=" + wanted + ": " + (r.out() + r.err()).strip();
    }

    /** Enables the unit the way systemctl enable does (a wants/ symlink), so hosts without a running systemd work too. */
    private static void enableUnit(Connection c, FileChange f, HostContext host) {
        String wantsDir = systemdDir(host) + "/multi-user.target.wants";
        String link = wantsLink(host);
        HostFiles.checkPath(link);
        String script = f.after() == null
                // Disabling (a rollback) also removes the wants/ directory when enabling created it and it is now empty.
                ? "rm -f " + Shell.quote(link) + " && { rmdir " + Shell.quote(wantsDir) + " 2>/dev/null || true; }"
                : "mkdir -p " + Shell.quote(wantsDir) + " && ln -sfn ../" + UNIT + " " + Shell.quote(link);
        script += "; if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi";
        ExecResult r = c.exec(script, null, Duration.ofMinutes(1));
        if (!r.ok()) throw new ApplyException("cannot " + (f.after() == null ? "disable " : "enable ") + UNIT + ": " + r.err().strip());
    }
}
