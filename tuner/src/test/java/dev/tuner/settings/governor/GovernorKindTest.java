package dev.tuner.settings.governor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.cli.Main;
import dev.tuner.testing.HostState;
import dev.tuner.journal.Journal;
import dev.tuner.journal.JournalEvent;
import dev.tuner.journal.RunSummary;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.LabHosts.Host;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Desired;
import dev.tuner.settings.KindPlan;
import dev.tuner.testing.LabHost;
import dev.tuner.settings.kit.ManagedHeader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The governor kind against lab hosts over SSH. lab01 has the lab's fake cpufreq tree in the
 * intel_pstate style (one policy per CPU of this machine, governors performance and powersave,
 * powersave running; intel_pstate/no_turbo 0; no systemd running, so the boot unit is written and
 * enabled by its wants/ link); lab02 has no cpufreq at all. What the tool did is read back inside
 * the host through the lab's exec, not through the tool.
 */
class GovernorKindTest {
    private static final String CPUFREQ = "/sys/devices/system/cpu/cpufreq";
    private static final String NO_TURBO = "/sys/devices/system/cpu/intel_pstate/no_turbo";
    private static final String UNIT = "/etc/systemd/system/tuner-cpufreq.service";
    private static final String WANTS = "/etc/systemd/system/multi-user.target.wants/tuner-cpufreq.service";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LabHosts lab;
    private static Host lab01;
    private static Host lab02;
    private final GovernorKind kind = new GovernorKind();

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() {
        lab = LabHosts.start(2, "--no-cpufreq-on", "lab02");
        lab01 = lab.host("lab01");
        lab02 = lab.host("lab02");
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.stop();
    }

    /** Every test starts from the lab's defaults: powersave everywhere, turbo on, no unit. */
    @BeforeEach
    void reset() {
        HostState.ok(lab.exec(lab01, "for f in " + CPUFREQ + "/policy*/scaling_governor; do echo powersave > $f; done; "
                + "echo 0 > " + NO_TURBO + "; echo 1 > " + CPUFREQ + "/boost; rm -rf /etc/systemd/system/*"));
        assertThat(governors(lab01).values()).as("lab01 starts at powersave").containsOnly("powersave");
    }

    // ------------------------------------------------------------------ plan

    @Test
    void planReadsTheGovernorOfEachCpu() {
        TreeMap<Integer, String> cpus = governors(lab01);
        Assumptions.assumeTrue(cpus.size() >= 2, "needs two CPUs, this machine has " + cpus.size());
        int last = cpus.lastKey();
        HostState.ok(lab.exec(lab01, "echo performance > " + CPUFREQ + "/policy" + last + "/scaling_governor"));

        try (LabHost h = new LabHost(kind, lab, lab01)) {
            Change c = h.plan(kind.desired(0, "performance")).changes().get(0);

            assertThat(c.key()).isEqualTo("governor");
            assertThat(c.state()).isEqualTo(ChangeState.CHANGE);
            String others = last == 1 ? "0" : "0-" + (last - 1);
            assertThat(c.current()).isEqualTo("performance (cpu " + last + "), powersave (cpu " + others + ")");
            assertThat(c.target()).as("every CPU the host has, as /sys/devices/system/cpu/online lists them")
                    .isEqualTo(Map.of("cpus", online(lab01)));
        }
    }

    @Test
    void aGovernorTheHostDoesNotOfferIsRefusedAtPlanTimeNamingTheOfferedOnes() {
        String before = HostState.of(lab, lab01);
        String offered = HostState.ok(lab.exec(lab01, "cat " + CPUFREQ + "/policy0/scaling_available_governors")).strip();
        assertThat(offered.split(" ")).as("the lab's intel_pstate style").doesNotContain("schedutil");

        try (LabHost h = new LabHost(kind, lab, lab01)) {
            KindPlan plan = h.plan(kind.desired(0, "schedutil"));

            assertThat(plan.changes()).singleElement().satisfies(c -> {
                assertThat(c.state()).isEqualTo(ChangeState.FAILED);
                assertThat(c.note()).contains("'schedutil' is not available", "offers: " + String.join(", ", offered.split(" ")));
            });
            assertThat(plan.files()).as("no unit for a refused governor").isEmpty();
            h.apply(plan);
        }
        assertThat(HostState.of(lab, lab01)).as("nothing changed on lab01").isEqualTo(before);
    }

    @Test
    void twoTasksSettingDifferentGovernorsLeaveTheLaterOneAndSaySo() {
        List<Desired> wanted = new ArrayList<>(kind.desired(0, "powersave"));
        wanted.addAll(kind.desired(2, Map.of("governor", "performance", "cpus", "0")));
        wanted.addAll(kind.desired(3, Map.of("no_turbo", true)));
        wanted.addAll(kind.desired(4, Map.of("no_turbo", true)));

        try (LabHost h = new LabHost(kind, lab, lab01)) {
            KindPlan plan = h.plan(wanted);

            assertThat(plan.changes()).extracting(Change::task, Change::key, Change::desired).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(2, "governor[cpus 0]", "performance"),
                    org.assertj.core.groups.Tuple.tuple(4, "no_turbo", "true"));
            assertThat(plan.notes()).as("equal no_turbo values merge silently")
                    .containsExactly("governor is set by task #1 (powersave) and task #3 (performance, cpus 0); the later one wins");
        }
    }

    @Test
    void aHostWithoutCpufreqGetsUnsupportedNotAFailure() throws IOException {
        String before = HostState.of(lab, lab02);
        try (LabHost h = new LabHost(kind, lab, lab02)) {
            KindPlan plan = h.plan(kind.desired(0, Map.of("governor", "performance", "no_turbo", true)));

            assertThat(plan.changes()).hasSize(2).allSatisfy(c -> {
                assertThat(c.state()).isEqualTo(ChangeState.UNSUPPORTED);
                assertThat(c.note()).contains("no cpufreq on this host");
            });
            assertThat(plan.files()).isEmpty();
        }
        Path pb = playbook("governor: {governor: performance, no_turbo: true}");
        assertThat(Main.run("apply", pb.toString(), "-i", lab.inventoryFile().toString(), "-l", "lab02",
                "--journal", tmp.resolve("journal").toString(), "--no-verify")).as("apply on a host without cpufreq").isZero();
        assertThat(HostState.of(lab, lab02)).as("nothing changed on lab02").isEqualTo(before);
    }

    // ------------------------------------------------------------------ apply and rollback

    @Test
    void applySetsEveryCpuAndEnablesTheBootUnitAndRollbackRestoresThenRemovesThemByteForByte() throws IOException {
        String before = HostState.of(lab, lab01);
        String cpuList = online(lab01);
        Path journal = tmp.resolve("journal");

        String first = apply(playbook("governor: performance"), journal);
        assertThat(governors(lab01).values()).as("every CPU after apply").containsOnly("performance");
        String unit = text(lab01, UNIT);
        assertThat(unit).startsWith(ManagedHeader.hashComment())
                .contains("Environment=TUNER_GOVERNOR=performance TUNER_CPUS=" + String.join(",", expand(cpuList)) + "\n")
                .doesNotContain("TUNER_NO_TURBO");
        assertThat(HostState.ok(lab.exec(lab01, "readlink " + WANTS)).strip()).as("enabled by a wants/ link").isEqualTo("../tuner-cpufreq.service");
        String afterFirst = HostState.of(lab, lab01);

        String second = apply(playbook("governor: {governor: powersave, no_turbo: true}"), journal);
        assertThat(governors(lab01).values()).containsOnly("powersave");
        assertThat(HostState.ok(lab.exec(lab01, "cat " + NO_TURBO)).strip()).isEqualTo("1");
        assertThat(text(lab01, UNIT)).contains("TUNER_GOVERNOR=powersave", "TUNER_NO_TURBO=1");

        rollback(second, journal, 0);
        assertThat(HostState.of(lab, lab01)).as("the first apply's unit, link and governors, byte for byte").isEqualTo(afterFirst);
        rollback(first, journal, 0);
        assertThat(HostState.of(lab, lab01)).as("lab01 as before: no unit, no link, no wants/ directory").isEqualTo(before);
    }

    @Test
    void noTurboIsSetAndPersistedAndRolledBack() {
        String before = HostState.of(lab, lab01);
        try (LabHost h = new LabHost(kind, lab, lab01)) {
            KindPlan plan = h.plan(kind.desired(0, Map.of("no_turbo", true)));
            assertThat(plan.changes()).singleElement().satisfies(c -> {
                assertThat(c.key()).isEqualTo("no_turbo");
                assertThat(c.current()).isEqualTo("false");
                assertThat(c.note()).contains("running value differs", "not persisted");
            });

            ApplyReport applied = h.apply(plan);

            assertThat(HostState.ok(lab.exec(lab01, "cat " + NO_TURBO)).strip()).isEqualTo("1");
            assertThat(governors(lab01).values()).as("the governor is not touched").containsOnly("powersave");
            assertThat(text(lab01, UNIT)).as("the unit keeps the running governor and adds turbo")
                    .contains("TUNER_GOVERNOR=powersave", "TUNER_NO_TURBO=1");
            assertThat(h.plan(kind.desired(0, Map.of("no_turbo", true))).changes())
                    .singleElement().satisfies(c -> assertThat(c.state()).isEqualTo(ChangeState.OK));

            h.rollback(applied);
        }
        assertThat(HostState.of(lab, lab01)).isEqualTo(before);
    }

    @Test
    void aUnitDisabledByHandIsEnabledAgain() {
        try (LabHost h = new LabHost(kind, lab, lab01)) {
            h.apply(h.plan(kind.desired(0, "performance")));
            HostState.ok(lab.exec(lab01, "rm " + WANTS));

            KindPlan plan = h.plan(kind.desired(0, "performance"));
            assertThat(plan.changes()).singleElement().satisfies(c -> {
                assertThat(c.state()).isEqualTo(ChangeState.CHANGE);
                assertThat(c.note()).isEqualTo("not persisted");
            });
            h.apply(plan);

            assertThat(HostState.ok(lab.exec(lab01, "readlink " + WANTS)).strip()).isEqualTo("../tuner-cpufreq.service");
            assertThat(h.plan(kind.desired(0, "performance")).changes())
                    .singleElement().satisfies(c -> assertThat(c.state()).isEqualTo(ChangeState.OK));
        }
    }

    @Test
    void aUnitEditedBetweenPlanAndApplyIsLeftAsEditedAndTheGovernorsGoBack() {
        String edited = "[Service]\nExecStart=/bin/true\n";
        try (LabHost h = new LabHost(kind, lab, lab01)) {
            KindPlan plan = h.plan(kind.desired(0, Map.of("governor", "performance", "no_turbo", true)));
            HostState.ok(lab.execArgs(lab01, "/bin/sh", "-c", "printf '%s' \"$1\" > " + UNIT, "sh", edited));

            ApplyReport report = h.apply(plan);

            assertThat(report.changes()).hasSize(2).allSatisfy(c -> {
                assertThat(c.state()).isEqualTo(ChangeState.FAILED);
                assertThat(c.note()).contains(UNIT + " changed on the host since it was read", "run plan again", "running value put back to");
            });
            assertThat(report.filesWritten()).isEmpty();
        }
        assertThat(text(lab01, UNIT)).as("the hand edit is kept").isEqualTo(edited);
        assertThat(lab.exec(lab01, "test -e " + WANTS).exitCode()).as("not enabled").isNotZero();
        assertThat(governors(lab01).values()).as("governors put back").containsOnly("powersave");
        assertThat(HostState.ok(lab.exec(lab01, "cat " + NO_TURBO)).strip()).as("turbo put back").isEqualTo("0");
    }

    /**
     * A CPU list reaches apply as the change's target, through the journal: only those CPUs change,
     * and the rollback restores exactly them. A journal written before changes had targets gives
     * the rollback no CPU list: that change fails, saying so, instead of guessing from the key.
     */
    @Test
    void aCpuListChangesOnlyThoseCpusAndRollbackNeedsItFromTheJournal() throws IOException {
        TreeMap<Integer, String> cpus = governors(lab01);
        Assumptions.assumeTrue(cpus.size() >= 2, "needs two CPUs, this machine has " + cpus.size());
        int last = cpus.lastKey();
        String some = last == 1 ? "1" : "1-" + last;
        String before = HostState.of(lab, lab01);
        Path journal = tmp.resolve("journal");

        String run = apply(playbook("governor: {governor: performance, cpus: \"" + some + "\"}"), journal);

        TreeMap<Integer, String> after = governors(lab01);
        assertThat(after.get(0)).as("cpu0 is not in the list").isEqualTo("powersave");
        after.forEach((n, g) -> {
            if (n > 0) assertThat(g).as("cpu%s", n).isEqualTo("performance");
        });
        assertThat(text(lab01, UNIT)).contains("TUNER_GOVERNOR=performance TUNER_CPUS=" + String.join(",", expand(some)) + "\n");
        Change journaled = appliedChanges(journal, run).get(0);
        assertThat(journaled.key()).isEqualTo("governor[cpus " + some + "]");
        assertThat(journaled.target()).isEqualTo(Map.of("cpus", some));
        String applied = HostState.of(lab, lab01);

        dropTargets(journal, run);
        String rollback = rollback(run, journal, 1);

        Change failed = appliedChanges(journal, rollback).get(0);
        assertThat(failed.state()).isEqualTo(ChangeState.FAILED);
        assertThat(failed.note()).contains("journaled without the CPUs it is for", "by hand");
        assertThat(HostState.of(lab, lab01)).as("nothing guessed: lab01 as the apply left it").isEqualTo(applied);

        restoreTargets(journal, run);
        rollback(run, journal, 0);
        assertThat(HostState.of(lab, lab01)).as("lab01 as before the apply").isEqualTo(before);
    }

    // ------------------------------------------------------------------ acpi-cpufreq style

    @Test
    void withoutIntelPstateNoTurboTurnsBoostOff() {
        try (LabHosts acpi = LabHosts.start(1, "--cpufreq", "acpi-cpufreq")) {
            Host h1 = acpi.host("lab01");
            assertThat(acpi.exec(h1, "test -e " + NO_TURBO).exitCode()).as("no intel_pstate in this style").isNotZero();
            try (LabHost h = new LabHost(kind, acpi, h1)) {
                ApplyReport applied = h.apply(h.plan(kind.desired(0, Map.of("governor", "ondemand", "no_turbo", true))));
                assertThat(applied.failed()).as("%s", applied).isFalse();
                assertThat(HostState.ok(acpi.exec(h1, "cat " + CPUFREQ + "/boost")).strip()).isEqualTo("0");
                assertThat(governors(acpi, h1).values()).containsOnly("ondemand");

                h.rollback(applied);
                assertThat(HostState.ok(acpi.exec(h1, "cat " + CPUFREQ + "/boost")).strip()).isEqualTo("1");
                assertThat(governors(acpi, h1).values()).as("the style's default").containsOnly("schedutil");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static TreeMap<Integer, String> governors(Host h) {
        return governors(lab, h);
    }

    /** Each CPU's running governor, read in the host's cpufreq tree. */
    private static TreeMap<Integer, String> governors(LabHosts l, Host h) {
        TreeMap<Integer, String> out = new TreeMap<>();
        String listing = HostState.ok(l.exec(h, "for p in " + CPUFREQ + "/policy*; do echo \"${p##*policy} $(cat $p/scaling_governor)\"; done"));
        for (String line : listing.strip().split("\n")) {
            String[] f = line.split(" ");
            out.put(Integer.parseInt(f[0]), f[1]);
        }
        return out;
    }

    /** The host's online CPUs as the kernel lists them ("0-1"). */
    private static String online(Host h) {
        return HostState.ok(lab.exec(h, "cat /sys/devices/system/cpu/online")).strip();
    }

    /** "0-2,5" → [0, 1, 2, 5] as strings. */
    private static List<String> expand(String list) {
        return CpuList.parse(list).stream().map(String::valueOf).toList();
    }

    private static String text(Host h, String path) {
        byte[] b = HostState.file(lab, h, path);
        assertThat(b).as("%s on %s", path, h).isNotNull();
        return new String(b, StandardCharsets.UTF_8);
    }

    private Path playbook(String task) {
        return HostState.playbook(tmp, "governor.yml", "- hosts: lab\n  tasks:\n    - name: cpu\n      " + task + "\n");
    }

    /** Applies on lab01 through the command line; returns the run's id. */
    private static String apply(Path playbook, Path journal) {
        List<String> known = runs(journal);
        int rc = Main.run("apply", playbook.toString(), "-i", lab.inventoryFile().toString(), "-l", "lab01",
                "--journal", journal.toString(), "--no-verify");
        assertThat(rc).as("tuner apply %s", playbook).isZero();
        return newRun(journal, known);
    }

    /** Rolls a run back on lab01 through the command line; returns the rollback's own run id. */
    private static String rollback(String run, Path journal, int expectedExit) {
        List<String> known = runs(journal);
        int rc = Main.run("rollback", run, "-i", lab.inventoryFile().toString(), "-l", "lab01", "--journal", journal.toString());
        assertThat(rc).as("tuner rollback %s", run).isEqualTo(expectedExit);
        return newRun(journal, known);
    }

    private static List<String> runs(Path journal) {
        return new Journal(journal).list().stream().map(RunSummary::id).toList();
    }

    /** The one run journaled since {@code known} was listed (ids of runs in the same second do not sort by time). */
    private static String newRun(Path journal, List<String> known) {
        List<String> added = runs(journal).stream().filter(id -> !known.contains(id)).toList();
        assertThat(added).as("runs journaled by the command").hasSize(1);
        return added.get(0);
    }

    /** The governor changes of lab01's "applied" events in a run. */
    private static List<Change> appliedChanges(Path journal, String run) {
        return new Journal(journal).events(run).get("lab01").stream()
                .filter(e -> JournalEvent.APPLIED.equals(e.event()) && "governor".equals(e.kind()))
                .flatMap(e -> e.report().changes().stream()).toList();
    }

    private static Path hostJournal(Path journal, String run) {
        return journal.resolve("runs").resolve(run).resolve("hosts").resolve("lab01.jsonl");
    }

    /** Rewrites lab01's journal of a run as a tuner without change targets wrote it (the original is kept aside). */
    private static void dropTargets(Path journal, String run) throws IOException {
        Path file = hostJournal(journal, run);
        Files.copy(file, file.resolveSibling("lab01.jsonl.orig"));
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode event = JSON.readTree(line);
            event.findParents("target").forEach(p -> ((ObjectNode) p).remove("target"));
            out.append(JSON.writeValueAsString(event)).append('\n');
        }
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
        assertThat(Files.readString(file)).doesNotContain("\"target\"");
    }

    private static void restoreTargets(Path journal, String run) throws IOException {
        Path file = hostJournal(journal, run);
        Files.move(file.resolveSibling("lab01.jsonl.orig"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
