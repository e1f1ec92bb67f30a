package dev.tuner.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.Desired;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.KindPlan;
import dev.tuner.testing.FileModes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static final Change SWAPPINESS = new Change(0, "sysctl", "vm.swappiness", "60", "10", null, ChangeState.CHANGE, Cost.LIVE, "running value differs");
    static final String OLD_FILE = "# kept byte for byte\r\nvm.swappiness = 60\n\n";
    static final FileChange DROPIN = new FileChange(-1, "/etc/sysctl.d/60-tuner.conf", OLD_FILE, "vm.swappiness = 10\n", null);
    static final KindPlan PLAN = new KindPlan("sysctl", List.of(SWAPPINESS), List.of(DROPIN), List.of());
    static final Map<String, List<Desired>> SETTINGS = Map.of("sysctl", List.of(new Desired(0, "vm.swappiness", "10")));

    private Path hostFile(Journal j, String run, String host) {
        return j.dir().resolve("runs").resolve(run).resolve("hosts").resolve(host + ".jsonl");
    }

    @Test
    void recordsBeforeStartedAndAppliedAndReadsThemBack() {
        Journal j = new Journal(dir);
        RunJournal run = j.begin("apply", "playbooks/db-host.yml", List.of("prod"), null);
        run.before("db01", "play", List.of(PLAN), SETTINGS);
        run.started("db01", "play", PLAN);
        run.applied("db01", "play", "sysctl", new ApplyReport(List.of(SWAPPINESS), List.of(DROPIN), List.of()));
        run.finish("ok", Map.of("hosts", 1));

        assertThat(j.list()).singleElement().satisfies(s -> {
            assertThat(s.command()).isEqualTo("apply");
            assertThat(s.status()).isEqualTo("ok");
            assertThat(s.finished()).isNotNull();
            assertThat(s.pid()).isEqualTo(ProcessHandle.current().pid());
        });
        List<JournalEvent> events = j.events(run.id()).get("db01");
        assertThat(events).extracting(JournalEvent::event).containsExactly("before", "started", "applied");
        assertThat(events.get(0).settings()).isEqualTo(SETTINGS);
        assertThat(events.get(1).plans()).containsExactly(PLAN);
        assertThat(events.get(2).report().filesWritten().get(0).before()).isEqualTo(OLD_FILE);
    }

    @Test
    void aRecordCutShortIsLeftOutNamingItsFileAndLineAndTheOthersCount() throws Exception {
        Journal j = new Journal(dir);
        RunJournal run = j.begin("apply", "p.yml", List.of("prod"), null);
        run.before("web1", "play", List.of(PLAN), SETTINGS);
        run.started("web1", "play", PLAN);
        Path f = hostFile(j, run.id(), "web1");
        // What a full disk leaves: the first bytes of the applied record, no newline.
        Files.writeString(f, "{\"event\":\"applied\",\"ho", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        run.state("web1", "play", "failed", "cannot write journal");

        Journal.RunEvents read = j.read(run.id());

        assertThat(read.hosts().get("web1")).extracting(JournalEvent::event).containsExactly("before", "started", "state");
        assertThat(read.warnings()).singleElement().asString().startsWith(f + ":3: a journal record cut short (22 bytes");
        assertThat(Files.readString(f).lines()).as("the record after the cut one has a line of its own").hasSize(4);
    }

    @Test
    void directoriesAre0700AndFiles0600AlsoUnderAnExistingDirectory() throws Exception {
        Path existing = dir.resolve(".tuner");
        Files.createDirectory(existing, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createDirectory(existing.resolve("runs"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Journal j = new Journal(existing);
        RunJournal run = j.begin("apply", "p.yml", List.of("prod"), null);
        run.before("db01", "play", List.of(PLAN), SETTINGS);
        Path runDir = existing.resolve("runs").resolve(run.id());

        assertThat(FileModes.of(existing.resolve("runs"))).isEqualTo("700");
        assertThat(FileModes.of(runDir)).isEqualTo("700");
        assertThat(FileModes.of(runDir.resolve("hosts"))).isEqualTo("700");
        assertThat(FileModes.of(runDir.resolve("run.json"))).isEqualTo("600");
        assertThat(FileModes.of(runDir.resolve("hosts").resolve("db01.jsonl"))).isEqualTo("600");
        run.finish("ok", Map.of());
        assertThat(FileModes.of(runDir.resolve("run.json"))).as("rewritten at the end").isEqualTo("600");

        Journal fresh = new Journal(dir.resolve("new").resolve(".tuner"));
        fresh.begin("apply", "p.yml", List.of("prod"), null);
        assertThat(FileModes.of(fresh.dir())).as("a journal directory it creates").isEqualTo("700");
    }


    @Test
    void theFirstEndWrittenStays() {
        Journal j = new Journal(dir);
        RunJournal run = j.begin("apply", "p.yml", List.of("prod"), null);
        assertThat(run.finish("interrupted", Map.of("hosts", 2))).isTrue();
        assertThat(run.finish("failed", Map.of("hosts", 3))).isFalse();
        assertThat(j.list()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo("interrupted");
            assertThat(s.counts()).containsEntry("hosts", 2);
        });
    }

    @Test
    void aRunWithoutAnEndWhoseProcessIsGoneIsInterrupted() throws Exception {
        Journal j = new Journal(dir);
        RunJournal run = j.begin("apply", "p.yml", List.of("prod"), null);
        assertThat(j.find(run.id())).get().extracting(RunSummary::status).isEqualTo("running");

        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        rewrite(j, run.id(), s -> s.put("pid", gone.pid()));

        assertThat(j.find(run.id())).get().extracting(RunSummary::status).isEqualTo("interrupted");
    }

    @Test
    void runsAreListedByStartTimeAlsoWithinOneSecond() throws Exception {
        Journal j = new Journal(dir);
        String later = j.begin("apply", "p.yml", List.of("prod"), null).id();
        String earlier = j.begin("apply", "p.yml", List.of("prod"), null).id();
        // Two runs of one second whose ids sort the other way round than they started.
        rewrite(j, later, s -> s.put("id", "20260101-000000-1000").put("started", "2026-01-01T00:00:00.700Z"));
        rewrite(j, earlier, s -> s.put("id", "20260101-000000-ffff").put("started", "2026-01-01T00:00:00.200Z"));

        assertThat(j.list()).extracting(RunSummary::id).containsExactly("20260101-000000-ffff", "20260101-000000-1000");
    }

    @Test
    void aRunIsRolledBackOnceARollbackRestoredEveryHostItChangedUntilThatRollbackIsRolledBack() {
        Journal j = new Journal(dir);
        RunJournal apply = j.begin("apply", "p.yml", List.of("prod"), null);
        for (String h : List.of("db01", "db02")) {
            apply.before(h, "play", List.of(PLAN), SETTINGS);
            apply.started(h, "play", PLAN);
        }
        apply.before("db03", "play", List.of(), Map.of());
        apply.finish("failed", Map.of());

        RunJournal partly = j.begin("rollback", "p.yml", List.of("prod"), apply.id());
        partly.state("db01", "rollback", "ok", "rolled back");
        partly.state("db02", "rollback", "failed", "left as they are: vm.swappiness");
        partly.finish("failed", Map.of());
        assertThat(j.find(apply.id())).get().extracting(RunSummary::status).isEqualTo("failed");

        RunJournal rest = j.begin("rollback", "p.yml", List.of("prod"), apply.id());
        rest.started("db02", "rollback", PLAN);
        rest.state("db02", "rollback", "ok", "rolled back");
        rest.finish("ok", Map.of());
        assertThat(j.find(apply.id())).get().satisfies(s -> {
            assertThat(s.status()).as("db03 changed nothing").isEqualTo("rolled back");
            assertThat(s.rolledBackBy()).isEqualTo(partly.id() + ", " + rest.id());
        });
        assertThat(j.rollbacks(apply.id())).containsOnly(Map.entry("db01", partly.id()), Map.entry("db02", rest.id()));

        RunJournal redo = j.begin("rollback", "p.yml", List.of("prod"), rest.id());
        redo.state("db02", "rollback", "ok", "rolled back");
        redo.finish("ok", Map.of());
        assertThat(j.find(apply.id())).get().extracting(RunSummary::status).as("db02 has the run's changes again").isEqualTo("failed");
        assertThat(j.find(rest.id())).get().extracting(RunSummary::status).isEqualTo("rolled back");
        assertThat(j.rollbacks(apply.id())).containsOnly(Map.entry("db01", partly.id()));
    }

    @Test
    void findsARunByAUniqueSuffix() {
        Journal j = new Journal(dir);
        RunJournal run = j.begin("apply", "p.yml", List.of("prod"), null);
        String suffix = run.id().substring(run.id().length() - 4);
        assertThat(j.find(suffix)).get().extracting(RunSummary::id).isEqualTo(run.id());
    }

    private static void rewrite(Journal j, String id, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        Path f = j.dir().resolve("runs").resolve(id).resolve("run.json");
        ObjectNode s = (ObjectNode) JSON.readTree(f.toFile());
        edit.accept(s);
        Files.writeString(f, JSON.writeValueAsString(s));
    }
}
