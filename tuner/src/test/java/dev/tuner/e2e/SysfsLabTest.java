package dev.tuner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.TunerCli;
import dev.tuner.testing.LabFiles.Snapshot;
import dev.tuner.testing.LabFiles;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.LabHosts.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sysfs kind end to end: the real {@code tuner} command line (plan, apply, drift, rollback)
 * against lab hosts over SSH, on the lab's fake sysfs attributes (transparent hugepages, the fake
 * disks sda and sdb). What the tests expect is read inside the hosts through {@code lab/lab exec},
 * the kernel's bracketed form parsed here, not by tuner.
 *
 * <ul>
 *   <li>lab01, lab02: plan → apply → the boot replays the drop-in → drift in sync → a hand change
 *       of a running value (lab01) and of the drop-in (lab02) → drift names which → apply repairs →
 *       rollback; lab02 starts with a drop-in another playbook wrote, which is kept.</li>
 *   <li>lab03: a value the attribute does not offer is refused at plan time, and nothing is written;
 *       a glob that matches nothing fails naming the pattern.</li>
 * </ul>
 */
class SysfsLabTest {
    static final String DROPIN = "/etc/tmpfiles.d/60-tuner-sysfs.conf";
    static final String THP = "/sys/kernel/mm/transparent_hugepage/enabled";
    static final List<String> QUEUE = List.of("/sys/block/sda/queue/scheduler", "/sys/block/sdb/queue/scheduler",
            "/sys/block/sda/queue/read_ahead_kb", "/sys/block/sdb/queue/read_ahead_kb", "/sys/block/sdb/queue/nr_requests");
    /** lab02's drop-in before any run, as another playbook (through tuner) left it. */
    static final String LAB02_DROPIN = "# Managed by tuner: rewritten on every apply; change the playbook instead.\n"
            + "w /sys/block/sdb/queue/nr_requests - - - - 32\n";

    static final String PLAYBOOK = """
            - name: sysfs end to end
              hosts: lab01:lab02
              tasks:
                - name: Memory and block queues
                  sysfs:
                    kernel/mm/transparent_hugepage/enabled: "{{ thp }}"
                    "block/sd*/queue/scheduler": kyber
                    "block/sd*/queue/read_ahead_kb": 4096
            """;

    static LabHosts lab;
    static LabFiles files;

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() {
        lab = LabHosts.start(3);
        files = new LabFiles(lab);
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.stop();
    }

    TunerCli.Result tuner(String command, String... args) {
        List<String> argv = new ArrayList<>(List.of(command));
        argv.addAll(List.of(args));
        argv.addAll(List.of("-i", lab.inventoryFile().toString()));
        if (!command.equals("history")) argv.add("--no-color");
        if (!command.equals("plan") && !command.equals("drift")) argv.addAll(List.of("--journal", tmp.resolve("journal").toString()));
        if (command.equals("apply")) argv.add("--no-verify");
        return TunerCli.run(argv.toArray(String[]::new));
    }

    Path playbook(String name, String text) throws IOException {
        Path pb = tmp.resolve(name);
        Files.writeString(pb, text);
        return pb;
    }

    /** The value in force as the kernel prints it: the bracketed choice, else the whole text. */
    static String inForce(String printed) {
        Matcher m = Pattern.compile("\\[([^\\]\\s]+)\\]").matcher(printed);
        return m.find() ? m.group(1) : printed.strip();
    }

    /** Every attribute the test looks at, by path, as the value in force. */
    static Map<String, String> values(Host h) {
        List<String> paths = new ArrayList<>(List.of(THP));
        paths.addAll(QUEUE);
        Map<String, String> out = new LinkedHashMap<>();
        files.readAll(h, paths).forEach((p, s) -> out.put(p, inForce(s.text())));
        return out;
    }

    /** The values the playbook asks for, over what a host had (nr_requests is not in the playbook). */
    static Map<String, String> wanted(Map<String, String> before, String thp) {
        Map<String, String> out = new LinkedHashMap<>(before);
        out.put(THP, thp);
        out.put("/sys/block/sda/queue/scheduler", "kyber");
        out.put("/sys/block/sdb/queue/scheduler", "kyber");
        out.put("/sys/block/sda/queue/read_ahead_kb", "4096");
        out.put("/sys/block/sdb/queue/read_ahead_kb", "4096");
        return out;
    }

    static String runId(TunerCli.Result history) {
        Matcher m = Pattern.compile("\\b(\\d{8}-\\d{6}-[0-9a-f]{4})\\b").matcher(history.out());
        String last = null;
        while (m.find()) last = m.group(1);
        return last;
    }

    @Test
    void planApplyBootDriftRepairAndRollback() throws IOException {
        Host lab01 = lab.host("lab01");
        Host lab02 = lab.host("lab02");
        files.put(lab02, DROPIN, LAB02_DROPIN);
        String printedThp = files.text(lab01, THP);
        List<String> choices = Arrays.stream(printedThp.strip().split("\\s+")).map(w -> w.replaceAll("[\\[\\]]", "")).toList();
        String thp = choices.contains("never") && !inForce(printedThp).equals("never") ? "never" : "always";
        assertThat(choices).contains(thp);
        Map<String, String> values01 = values(lab01);
        Map<String, String> values02 = values(lab02);
        Map<String, Snapshot> dropin01 = files.readAll(lab01, List.of(DROPIN));
        Map<String, Snapshot> dropin02 = files.readAll(lab02, List.of(DROPIN));
        assertThat(dropin01.get(DROPIN).exists()).isFalse();
        for (String q : QUEUE.subList(0, 4)) assertThat(values01.get(q)).as(q).isIn("mq-deadline", "128");
        Path pb = playbook("sysfs.yml", PLAYBOOK);

        // plan: the glob names both fake disks, each attribute its own change; nothing written.
        TunerCli.Result plan = tuner("plan", pb.toString(), "-e", "thp=" + thp);
        assertThat(plan.exitCode()).as(plan.screen()).isEqualTo(2);
        for (Host h : List.of(lab01, lab02)) {
            String section = plan.host(h.name());
            assertThat(section).as(plan.screen())
                    .containsPattern("kernel/mm/transparent_hugepage/enabled\\s+" + Pattern.quote(values01.get(THP)) + " → " + thp + " ")
                    .containsPattern("block/sda/queue/scheduler\\s+mq-deadline → kyber")
                    .containsPattern("block/sdb/queue/scheduler\\s+mq-deadline → kyber")
                    .containsPattern("block/sda/queue/read_ahead_kb\\s+128 → 4096")
                    .containsPattern("block/sdb/queue/read_ahead_kb\\s+128 → 4096")
                    .contains("+++ b/etc/tmpfiles.d/60-tuner-sysfs.conf", "+w /sys/block/sdb/queue/scheduler - - - - kyber")
                    .doesNotContain("block/sd*");
        }
        assertThat(values(lab01)).isEqualTo(values01);
        files.assertUnchanged(lab02, dropin02, true, "after plan");

        // apply: the kernel's files hold the values; the drop-in has one w line per attribute.
        TunerCli.Result apply = tuner("apply", pb.toString(), "-e", "thp=" + thp);
        assertThat(apply.exitCode()).as(apply.screen()).isZero();
        String firstRun = runId(tuner("history"));
        Map<String, String> wanted = wanted(values01, thp);
        assertThat(values(lab01)).isEqualTo(wanted);
        assertThat(values(lab02)).isEqualTo(wanted(values02, thp));
        String ours = String.join("\n",
                "w " + THP + " - - - - " + thp,
                "w /sys/block/sda/queue/scheduler - - - - kyber",
                "w /sys/block/sdb/queue/scheduler - - - - kyber",
                "w /sys/block/sda/queue/read_ahead_kb - - - - 4096",
                "w /sys/block/sdb/queue/read_ahead_kb - - - - 4096") + "\n";
        assertThat(files.text(lab01, DROPIN)).isEqualTo("# Managed by tuner: rewritten on every apply; change the playbook instead.\n" + ours);
        assertThat(files.text(lab02, DROPIN)).as("the other playbook's line is kept").isEqualTo(LAB02_DROPIN + ours);

        // A boot: systemd-tmpfiles itself replays the drop-in onto emptied attributes (a fake does not
        // truncate on write as sysfs needs no truncation, so they are emptied first).
        LabFiles.ok(lab.exec(lab01, "for f in " + THP + " " + String.join(" ", QUEUE.subList(0, 4)) + "; do : > $f; done;"
                + " systemd-tmpfiles --create --prefix=/sys/kernel/mm/transparent_hugepage --prefix=/sys/block"), "systemd-tmpfiles in lab01");
        assertThat(values(lab01)).as("what systemd-tmpfiles wrote from the drop-in").isEqualTo(wanted);

        TunerCli.Result inSync = tuner("drift", pb.toString(), "-e", "thp=" + thp);
        assertThat(inSync.exitCode()).as(inSync.screen()).isZero();
        assertThat(inSync.out()).contains("in sync: 10 setting(s) checked on 2 host(s)");

        // Drift by hand: a running value on lab01, the drop-in on lab02; drift names which of the two.
        String other = choices.stream().filter(c -> !c.equals(thp)).findFirst().orElseThrow();
        LabFiles.ok(lab.ssh(lab01, "echo " + other + " > " + THP), "hand change in lab01");
        String applied02 = files.text(lab02, DROPIN);
        files.put(lab02, DROPIN, applied02.replace("w /sys/block/sda/queue/read_ahead_kb - - - - 4096", "w /sys/block/sda/queue/read_ahead_kb - - - - 2048"));
        TunerCli.Result drift = tuner("drift", pb.toString(), "-e", "thp=" + thp);
        assertThat(drift.exitCode()).as(drift.screen()).isEqualTo(2);
        List<String> driftLines = drift.out().lines().filter(l -> l.startsWith("DRIFT")).toList();
        assertThat(driftLines).as(drift.screen()).hasSize(2);
        assertThat(driftLines).anySatisfy(l -> assertThat(l).contains("lab01", "sysfs", "kernel/mm/transparent_hugepage/enabled",
                "expected=" + thp, "running=" + other, "persisted=" + thp, "(running drifted)"));
        assertThat(driftLines).anySatisfy(l -> assertThat(l).contains("lab02", "sysfs", "block/sda/queue/read_ahead_kb",
                "expected=4096", "running=4096", "persisted=2048", "(persisted drifted)"));

        // apply repairs both; drift is clean again.
        TunerCli.Result repair = tuner("apply", pb.toString(), "-e", "thp=" + thp);
        assertThat(repair.exitCode()).as(repair.screen()).isZero();
        assertThat(values(lab01)).isEqualTo(wanted);
        assertThat(files.text(lab02, DROPIN)).isEqualTo(applied02);
        assertThat(tuner("drift", pb.toString(), "-e", "thp=" + thp).exitCode()).isZero();

        // rollback of the first apply: values as before, drop-ins byte for byte (lab01 had none).
        TunerCli.Result rollback = tuner("rollback", firstRun);
        assertThat(rollback.exitCode()).as(rollback.screen()).isZero();
        assertThat(values(lab01)).isEqualTo(values01);
        assertThat(values(lab02)).isEqualTo(values02);
        files.assertUnchanged(lab01, dropin01, false, "after rollback");
        files.assertUnchanged(lab02, dropin02, false, "after rollback");
        assertThat(files.text(lab01, "/sys/block/sda/queue/read_ahead_kb")).as("a plain attribute, byte for byte").isEqualTo("128\n");
    }

    @Test
    void aChoiceTheAttributeDoesNotOfferIsRefusedAtPlanTimeAndNothingIsWritten() throws IOException {
        Host lab03 = lab.host("lab03");
        String printed = files.text(lab03, THP).strip();
        String offered = String.join(", ", Arrays.stream(printed.split("\\s+")).map(w -> w.replaceAll("[\\[\\]]", "")).toList());
        List<String> paths = new ArrayList<>(List.of(THP, DROPIN));
        paths.addAll(QUEUE);
        Map<String, Snapshot> before = files.readAll(lab03, paths);
        Path pb = playbook("bad-choice.yml", """
                - name: a choice the kernel does not offer
                  hosts: lab03
                  tasks:
                    - name: transparent hugepages
                      sysfs:
                        kernel/mm/transparent_hugepage/enabled: sometimes
                    - name: queues
                      sysfs:
                        "block/sd*/queue/read_ahead_kb": 4096
                """);

        TunerCli.Result plan = tuner("plan", pb.toString());
        assertThat(plan.exitCode()).as(plan.screen()).isEqualTo(1);
        assertThat(plan.host("lab03")).as(plan.screen())
                .contains("'sometimes' is not offered by " + THP + ": the choices are " + offered + " (the kernel would refuse it)")
                .contains("block/sda/queue/read_ahead_kb", "block/sdb/queue/read_ahead_kb",
                        "not written: 'kernel/mm/transparent_hugepage/enabled' is invalid")
                .doesNotContain("+++ b/etc/tmpfiles.d");

        TunerCli.Result apply = tuner("apply", pb.toString());
        assertThat(apply.exitCode()).as(apply.screen()).isEqualTo(1);
        assertThat(apply.out()).contains("the choices are " + offered);
        files.assertUnchanged(lab03, before, true, "after a refused apply");

        // A glob that matches nothing on this host is a failure of that key, naming the pattern.
        Path none = playbook("no-match.yml", """
                - name: a disk this host does not have
                  hosts: lab03
                  tasks:
                    - name: nvme queues
                      sysfs:
                        "block/nvme*/queue/scheduler": none
                """);
        TunerCli.Result noMatch = tuner("plan", none.toString());
        assertThat(noMatch.exitCode()).as(noMatch.screen()).isEqualTo(1);
        assertThat(noMatch.host("lab03")).contains("block/nvme*/queue/scheduler", "no attribute matches /sys/block/nvme*/queue/scheduler on this host");
        files.assertUnchanged(lab03, before, true, "after plans");
    }
}
