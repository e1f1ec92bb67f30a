package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.HostState;
import dev.tuner.testing.LabHosts.Host;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.TunerCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Issue 3, "Done when", first point, on five real lab hosts over SSH (lab03 without cpufreq):
 * plan → apply → values really changed inside the hosts → re-apply changes nothing → a value
 * drifted by hand over ssh and a drop-in edited by hand → drift (text, junit, prometheus) names
 * both → apply repairs → drift in sync → rollback restores every host byte for byte → history.
 */
class E2eLifecycleTest {
    private static LabHosts lab;

    /** Desired values, chosen away from any kernel default so every host has something to change. */
    private static final Map<String, String> DESIRED = Map.of(
            "vm.swappiness", "13",
            "vm.dirty_ratio", "17",
            "net.ipv4.tcp_fin_timeout", "23",
            "net.core.somaxconn", "3001",
            "net.ipv4.tcp_rmem", "4096 98304 7340032");

    private static final String PLAYBOOK = """
            - name: e2e tuning
              hosts: lab
              tasks:
                - name: memory
                  sysctl:
                    vm.swappiness: 13
                    vm.dirty_ratio: "{{ 16 + 1 }}"
                - name: network
                  sysctl:
                    net.ipv4.tcp_fin_timeout: 23
                    net.core.somaxconn: 3001
                    net.ipv4.tcp_rmem: "4096   98304\t7340032"
                - name: cpu
                  governor: {governor: performance, no_turbo: true}
            """;

    /** A hand-written drop-in already on lab02: comments, odd spacing, CRLF, no final newline. */
    private static final byte[] SEEDED = ("# site defaults, edited by hand\r\n"
            + "vm.swappiness =  33\r\n"
            + "\r\n"
            + "  net.ipv4.ip_forward=1\t# routing\n"
            + ";old style comment").getBytes(StandardCharsets.ISO_8859_1);

    private static final String DROPIN = "/etc/sysctl.d/60-tuner.conf";
    private static final String UNIT = "/etc/systemd/system/tuner-cpufreq.service";
    private static final String WANTS = "/etc/systemd/system/multi-user.target.wants/tuner-cpufreq.service";

    @BeforeAll
    static void up() {
        lab = LabHosts.start(5, "--no-cpufreq-on", "lab03");
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.stop();
    }

    @Test
    void applyIdempotentDriftRepairRollback(@TempDir Path tmp) throws Exception {
        Host lab01 = lab.host("lab01"), lab02 = lab.host("lab02"), lab03 = lab.host("lab03"), lab04 = lab.host("lab04");
        Path pb = HostState.playbook(tmp, "e2e.yml", PLAYBOOK);
        String inv = lab.inventoryFile().toString();
        String journal = tmp.resolve("journal").toString();

        HostState.ok(lab.execArgs(lab02, "/bin/sh", "-c", "printf '%s' \"$1\" > " + DROPIN, "sh",
                new String(SEEDED, StandardCharsets.ISO_8859_1)));
        assertThat(HostState.file(lab, lab02, DROPIN)).as("seeded drop-in on lab02").isEqualTo(SEEDED);
        Map<String, String> before = HostState.of(lab);
        for (Host h : lab.hosts()) {
            for (var e : DESIRED.entrySet())
                assertThat(HostState.values(before.get(h.name())).get(e.getKey())).as("%s %s must start away from the playbook's value", h, e.getKey())
                        .isNotEqualTo(e.getValue());
        }

        // plan: exit 2, per host current → desired; nothing changes
        TunerCli.Result plan = run("plan", pb.toString(), "-i", inv, "--no-color");
        assertThat(plan.exitCode()).as(plan.screen()).isEqualTo(2);
        for (Host h : lab.hosts()) {
            String sec = section(plan.out(), h.name());
            for (var e : DESIRED.entrySet()) {
                String current = HostState.values(before.get(h.name())).get(e.getKey());
                assertThat(sec).as("plan for %s shows %s current → desired\n%s", h, e.getKey(), plan.screen())
                        .containsPattern(Pattern.quote(e.getKey()) + "\\s+" + Pattern.quote(current) + " → " + Pattern.quote(e.getValue()));
            }
        }
        assertThat(section(plan.out(), "lab01")).contains("governor  powersave → performance", "no_turbo  false → true");
        assertThat(section(plan.out(), "lab03")).contains("no cpufreq on this host").doesNotContain("powersave → performance");
        assertThat(HostState.of(lab)).as("plan changes nothing").isEqualTo(before);

        // apply: exit 0, and the hosts really changed
        TunerCli.Result apply = run("apply", pb.toString(), "-i", inv, "--journal", journal, "--no-color", "--no-verify");
        assertThat(apply.exitCode()).as(apply.screen()).isZero();
        Map<String, String> applied = HostState.of(lab);
        for (Host h : lab.hosts()) {
            Map<String, String> values = HostState.values(applied.get(h.name()));
            for (var e : DESIRED.entrySet())
                assertThat(values.get(e.getKey())).as("%s %s after apply", h, e.getKey()).isEqualTo(e.getValue());
            Map<String, byte[]> files = HostState.files(applied.get(h.name()));
            assertThat(files).as("%s drop-in", h).containsKey(DROPIN);
            String dropin = new String(files.get(DROPIN), StandardCharsets.UTF_8);
            for (var e : DESIRED.entrySet())
                assertThat(dropin.lines().map(l -> l.replaceAll("\\s+", " ").strip()))
                        .as("%s drop-in persists %s:\n%s", h, e.getKey(), dropin).contains(e.getKey() + " = " + e.getValue());
            if (h.equals(lab03)) {
                assertThat(files).as("no unit on the host without cpufreq").doesNotContainKeys(UNIT, WANTS);
                continue;
            }
            assertThat(values).as("%s cpufreq after apply", h)
                    .containsEntry("/sys/devices/system/cpu/cpufreq/policy0/scaling_governor", "performance")
                    .containsEntry("/sys/devices/system/cpu/intel_pstate/no_turbo", "1");
            values.forEach((k, v) -> {
                if (k.endsWith("/scaling_governor")) assertThat(v).as("%s %s", h, k).isEqualTo("performance");
            });
            assertThat(files).as("%s unit", h).containsKey(UNIT);
            assertThat(new String(files.get(UNIT), StandardCharsets.UTF_8)).as("%s unit", h)
                    .contains("TUNER_GOVERNOR=performance", "TUNER_NO_TURBO=1", "WantedBy=multi-user.target");
            assertThat(files.get(WANTS)).as("%s enabled by a wants/ symlink", h).isEqualTo("../tuner-cpufreq.service".getBytes(StandardCharsets.UTF_8));
        }
        String lab02Dropin = new String(HostState.files(applied.get("lab02")).get(DROPIN), StandardCharsets.UTF_8);
        assertThat(lab02Dropin).as("lab02 keeps the key it had that the playbook does not set").contains("net.ipv4.ip_forward");
        String firstRun = onlyApplyRun(journal, 0);

        // re-apply: 0 changed everywhere
        TunerCli.Result again = run("apply", pb.toString(), "-i", inv, "--journal", journal, "--no-color", "--no-verify");
        assertThat(again.exitCode()).as(again.screen()).isZero();
        for (Host h : lab.hosts())
            assertThat(recap(again.out(), h.name())).as("recap of the second apply\n%s", again.screen()).containsEntry("changed", 0);

        // drift by hand: a running value over ssh on lab01, the drop-in on lab04
        HostState.ok(lab.ssh(lab01, "sysctl -w vm.swappiness=77"));
        HostState.ok(lab.ssh(lab04, "sed -i 's/^net.core.somaxconn = 3001$/net.core.somaxconn = 1024/' " + DROPIN
                + " && grep -qx 'net.core.somaxconn = 1024' " + DROPIN));
        TunerCli.Result drift = run("drift", pb.toString(), "-i", inv, "--no-color");
        assertThat(drift.exitCode()).as(drift.screen()).isEqualTo(2);
        List<String> driftLines = drift.out().lines().filter(l -> l.startsWith("DRIFT")).toList();
        assertThat(driftLines).as(drift.screen()).hasSize(2);
        assertThat(driftLines).anySatisfy(l -> assertThat(l).contains("lab01", "vm.swappiness", "expected=13", "running=77", "persisted=13", "running drifted"));
        assertThat(driftLines).anySatisfy(l -> assertThat(l).contains("lab04", "net.core.somaxconn", "running=3001", "persisted=1024", "persisted drifted"));

        TunerCli.Result junit = run("drift", pb.toString(), "-i", inv, "--format", "junit");
        assertThat(junit.exitCode()).as(junit.screen()).isEqualTo(2);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(junit.out().getBytes(StandardCharsets.UTF_8)));
        NodeList cases = doc.getElementsByTagName("testcase");
        int failing = 0;
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            boolean fails = c.getElementsByTagName("failure").getLength() > 0;
            String id = c.getAttribute("classname") + " " + c.getAttribute("name");
            boolean expected = id.equals("lab01 sysctl vm.swappiness") || id.equals("lab04 sysctl net.core.somaxconn");
            assertThat(fails).as("testcase %s failing\n%s", id, junit.out()).isEqualTo(expected);
            if (fails) failing++;
        }
        assertThat(failing).isEqualTo(2);
        // 5 sysctl keys on 5 hosts, 2 governor settings on the 4 hosts with cpufreq
        assertThat(cases.getLength()).as(junit.out()).isEqualTo(5 * 5 + 2 * 4);

        Path prom = tmp.resolve("textfile").resolve("tuner.prom");
        Files.createDirectories(prom.getParent());
        Files.writeString(prom, "stale\n");
        Object inodeBefore = Files.getAttribute(prom, "unix:ino");
        TunerCli.Result pr = run("drift", pb.toString(), "-i", inv, "--format", "prometheus", "--output", prom.toString());
        assertThat(pr.exitCode()).as(pr.screen()).isEqualTo(2);
        String metrics = Files.readString(prom);
        String playbookLabel = "playbook=\"" + TunerCli.displayed(pb) + "\",";
        assertThat(metrics).contains(
                "tuner_setting_in_sync{" + playbookLabel + "host=\"lab01\",kind=\"sysctl\",key=\"vm.swappiness\"} 0",
                "tuner_setting_in_sync{" + playbookLabel + "host=\"lab04\",kind=\"sysctl\",key=\"net.core.somaxconn\"} 0",
                "tuner_setting_in_sync{" + playbookLabel + "host=\"lab02\",kind=\"sysctl\",key=\"vm.swappiness\"} 1",
                "tuner_drifted_settings{" + playbookLabel + "host=\"lab01\"} 1",
                "tuner_drifted_settings{" + playbookLabel + "host=\"lab02\"} 0",
                "tuner_drift_last_check_timestamp_seconds").doesNotContain("stale");
        assertThat(Files.getAttribute(prom, "unix:ino")).as("replaced by rename, not rewritten in place").isNotEqualTo(inodeBefore);
        try (Stream<Path> s = Files.list(prom.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).as("no temp file left").containsExactly("tuner.prom");
        }
        assertThat(pr.out()).as("the report went to the file").isEmpty();

        // apply repairs exactly the two drifted settings; drift is clean afterwards
        TunerCli.Result repair = run("apply", pb.toString(), "-i", inv, "--journal", journal, "--no-color", "--no-verify");
        assertThat(repair.exitCode()).as(repair.screen()).isZero();
        assertThat(recap(repair.out(), "lab01")).containsEntry("changed", 1);
        assertThat(recap(repair.out(), "lab04")).containsEntry("changed", 1);
        assertThat(recap(repair.out(), "lab02")).containsEntry("changed", 0);
        assertThat(HostState.sysctl(lab, lab01, "vm.swappiness")).isEqualTo("13");
        assertThat(new String(HostState.file(lab, lab04, DROPIN), StandardCharsets.UTF_8)).contains("net.core.somaxconn = 3001");
        TunerCli.Result clean = run("drift", pb.toString(), "-i", inv, "--no-color");
        assertThat(clean.exitCode()).as(clean.screen()).isZero();
        assertThat(clean.out()).doesNotContain("DRIFT");

        // rollback of the first apply: every host exactly as before it, bytes and absent files included
        TunerCli.Result rb = run("rollback", firstRun, "-i", inv, "--journal", journal, "--no-color");
        assertThat(rb.exitCode()).as(rb.screen()).isZero();
        Map<String, String> after = HostState.of(lab);
        for (Host h : lab.hosts())
            assertThat(after.get(h.name())).as("state of %s after rollback", h).isEqualTo(before.get(h.name()));
        assertThat(HostState.files(after.get("lab02")).get(DROPIN)).as("lab02's hand-written drop-in, byte for byte").isEqualTo(SEEDED);
        assertThat(HostState.files(after.get("lab01"))).as("lab01 had no drop-in, unit or link").doesNotContainKeys(DROPIN, UNIT, WANTS);

        // history: three applies and the rollback of the first
        TunerCli.Result hist = run("history", "-i", inv, "--journal", journal);
        assertThat(hist.exitCode()).as(hist.screen()).isZero();
        List<String> rows = hist.out().lines().filter(l -> l.matches("\\d{8}-\\d{6}-\\S+\\s.*")).toList();
        assertThat(rows).as(hist.screen()).hasSize(4);
        assertThat(rows.subList(0, 3)).allSatisfy(r -> assertThat(r).contains(" apply ", "e2e.yml"));
        assertThat(rows.get(0)).startsWith(firstRun).containsPattern("\\s5\\s+" + (5 * 2 + 1 * 4) + "\\s+0\\s");
        assertThat(rows.get(3)).contains(" rollback ", "rollback of " + firstRun);
    }

    /** Runs the CLI in-process and logs how long each command took (for the report, not asserted). */
    private static TunerCli.Result run(String... args) {
        TunerCli.Result r = TunerCli.run(args);
        System.out.printf("e2e: tuner %s -> exit %d in %d ms%n", args[0], r.exitCode(), r.took().toMillis());
        return r;
    }

    /** The run id of the n-th apply in the journal (from `tuner history`). */
    private static String onlyApplyRun(String journal, int n) {
        TunerCli.Result hist = run("history", "-i", lab.inventoryFile().toString(), "--journal", journal);
        assertThat(hist.exitCode()).as(hist.screen()).isZero();
        List<String> ids = hist.out().lines().filter(l -> l.matches("\\d{8}-\\d{6}-\\S+\\s+.*\\sapply\\s.*"))
                .map(l -> l.split("\\s+")[0]).toList();
        assertThat(ids).as(hist.screen()).hasSizeGreaterThan(n);
        return ids.get(n);
    }

    /** The part of a plan/apply text report about one host. */
    static String section(String out, String host) {
        int start = out.indexOf("HOST " + host);
        assertThat(start).as("no section for %s in:\n%s", host, out).isNotNegative();
        int end = out.indexOf("\nHOST ", start + 1);
        int recap = out.indexOf("PLAY RECAP", start);
        if (end < 0 || (recap >= 0 && recap < end)) end = recap >= 0 ? recap : out.length();
        return out.substring(start, end);
    }

    /** The PLAY RECAP counters of one host. */
    static Map<String, Integer> recap(String out, String host) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(host) + "\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)\\s+skipped=(\\d+)")
                .matcher(out);
        assertThat(m.find()).as("recap line of %s in:\n%s", host, out).isTrue();
        return Map.of("ok", Integer.parseInt(m.group(1)), "changed", Integer.parseInt(m.group(2)),
                "unreachable", Integer.parseInt(m.group(3)), "failed", Integer.parseInt(m.group(4)), "skipped", Integer.parseInt(m.group(5)));
    }
}
