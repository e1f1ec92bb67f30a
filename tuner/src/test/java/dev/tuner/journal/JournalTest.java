package dev.tuner.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.KindPlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    @Test
    void recordsBeforeAndAppliedStateAndReadsThemBack() {
        Journal j = new Journal(dir);
        RunJournal run = j.begin("apply", "playbooks/db-host.yml", List.of("prod"), null);
        Change c = new Change(0, "sysctl", "vm.swappiness", "60", "10", null, ChangeState.CHANGE, Cost.LIVE, "running value differs");
        String oldFile = "# kept byte for byte\r\nvm.swappiness = 60\n\n";
        FileChange f = new FileChange(-1, "/etc/sysctl.d/60-tuner.conf", oldFile, "vm.swappiness = 10\n", null);
        run.before("db01", "play", List.of(new KindPlan("sysctl", List.of(c), List.of(f), List.of())));
        run.applied("db01", "play", "sysctl", new ApplyReport(List.of(c), List.of(f), List.of()));
        run.finish("ok", Map.of("hosts", 1));

        assertThat(j.list()).singleElement().satisfies(s -> {
            assertThat(s.command()).isEqualTo("apply");
            assertThat(s.status()).isEqualTo("ok");
            assertThat(s.finished()).isNotNull();
        });
        List<JournalEvent> events = j.events(run.id()).get("db01");
        assertThat(events).extracting(JournalEvent::event).containsExactly("before", "applied");
        assertThat(events.get(1).report().filesWritten().get(0).before()).isEqualTo(oldFile);
        assertThat(events.get(0).plans().get(0).changes().get(0).current()).isEqualTo("60");
    }

    @Test
    void aLineCutShortByACrashDoesNotHideTheLinesBeforeIt() throws Exception {
        Journal j = new Journal(dir);
        RunJournal run = j.begin("apply", "p.yml", List.of("prod"), null);
        run.state("web1", "play", "ok", "applied");
        Path f = dir.resolve("runs").resolve(run.id()).resolve("hosts").resolve("web1.jsonl");
        Files.writeString(f, "{\"event\":\"applied\",\"ho", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        assertThat(j.events(run.id()).get("web1")).extracting(JournalEvent::status).containsExactly("ok");
    }

    @Test
    void findsARunByAUniqueSuffix() {
        Journal j = new Journal(dir);
        RunJournal run = j.begin("apply", "p.yml", List.of("prod"), null);
        String suffix = run.id().substring(run.id().length() - 4);
        assertThat(j.find(suffix)).get().extracting(RunSummary::id).isEqualTo(run.id());
    }
}
