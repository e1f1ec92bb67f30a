package dev.tuner.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.Desired;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.KindPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a rollback learns from a host's journal, from records written through {@link RunJournal}. */
class HostChangesTest {
    @TempDir
    Path dir;

    static final String FILE = "/etc/sysctl.d/60-tuner.conf";
    static final String FIRST = "# by hand\r\nvm.swappiness = 60";

    static Change change(String key, String from, String to) {
        return new Change(0, "sysctl", key, from, to, null, ChangeState.CHANGE, Cost.LIVE, null);
    }

    static KindPlan plan(List<Change> changes, String before, String after) {
        return new KindPlan("sysctl", changes, List.of(new FileChange(-1, FILE, before, after, null)), List.of());
    }

    private List<JournalEvent> events(java.util.function.Consumer<RunJournal> writes) {
        Journal j = new Journal(dir);
        RunJournal run = j.begin("apply", "p.yml", List.of("inv"), null);
        writes.accept(run);
        return j.events(run.id()).get("h");
    }

    @Test
    void aStartedChangeWithoutItsAppliedRecordMayHaveHappenedAndGoesBackToWhatTheBeforeRecordHolds() {
        KindPlan p = plan(List.of(change("vm.swappiness", "60", "10")), FIRST, "vm.swappiness = 10\n");
        HostChanges h = HostChanges.of(events(run -> {
            run.before("h", "play", List.of(p), Map.of("sysctl", List.of(new Desired(0, "vm.swappiness", "10"))));
            run.started("h", "play", p);
        }));

        assertThat(h.kinds()).containsExactly("sysctl");
        assertThat(h.values("sysctl")).singleElement().satisfies(v -> {
            assertThat(v.original()).isEqualTo("60");
            assertThat(v.left()).containsExactly("60", "10");
        });
        assertThat(h.files("sysctl")).singleElement().satisfies(f -> {
            assertThat(f.original()).isEqualTo(FIRST);
            assertThat(f.left()).containsExactly(FIRST, "vm.swappiness = 10\n");
        });
        assertThat(h.settings()).containsOnlyKeys("sysctl");
    }

    @Test
    void anAppliedRecordSettlesWhatTheKindChangedAndWroteAndWhatItFailedStaysOpen() {
        KindPlan p = plan(List.of(change("vm.swappiness", "60", "10"), change("vm.dirty_ratio", "20", "17")), FIRST, "x\n");
        ApplyReport report = new ApplyReport(List.of(p.changes().get(0),
                p.changes().get(1).withState(ChangeState.FAILED, "kernel refused")), List.of(p.files().get(0)), List.of());
        HostChanges h = HostChanges.of(events(run -> {
            run.before("h", "play", List.of(p), Map.of());
            run.started("h", "play", p);
            run.applied("h", "play", "sysctl", report);
        }));

        assertThat(h.values("sysctl")).extracting(HostChanges.Value::key, HostChanges.Value::left).containsExactly(
                org.assertj.core.api.Assertions.tuple("vm.swappiness", List.of("10")),
                org.assertj.core.api.Assertions.tuple("vm.dirty_ratio", List.of("20", "17")));
        assertThat(h.files("sysctl")).singleElement().extracting(HostChanges.File::left).isEqualTo(List.of("x\n"));
    }

    @Test
    void aValueARevertSetBackAndAFileNeverWrittenAreNoConcernOfARollback() {
        KindPlan forward = plan(List.of(change("vm.swappiness", "60", "10")), null, "vm.swappiness = 10\n");
        KindPlan back = plan(List.of(change("vm.swappiness", "10", "60")), "vm.swappiness = 10\n", null);
        HostChanges h = HostChanges.of(events(run -> {
            run.before("h", "play", List.of(forward), Map.of());
            run.started("h", "play", forward);
            // The drop-in was not written (someone edited it since the plan): the kind put the value back.
            run.applied("h", "play", "sysctl", new ApplyReport(forward.changes(), List.of(), List.of()));
            run.started("h", "play", back);
            run.applied("h", "play", "sysctl", new ApplyReport(back.changes(), List.of(), List.of()));
        }));

        assertThat(h.values("sysctl")).isEmpty();
        assertThat(h.files("sysctl")).isEmpty();
        assertThat(h.isEmpty()).isTrue();
    }

    @Test
    void aJournalWithoutStartedRecordsIsReadFromItsAppliedRecords() {
        KindPlan p = plan(List.of(change("vm.swappiness", "60", "10")), FIRST, "y\n");
        HostChanges h = HostChanges.of(events(run -> {
            run.before("h", "play", List.of(p), Map.of());
            run.applied("h", "play", "sysctl", new ApplyReport(p.changes(), p.files(), List.of()));
        }));

        assertThat(h.values("sysctl")).singleElement().extracting(HostChanges.Value::left).isEqualTo(List.of("10"));
        assertThat(h.files("sysctl")).singleElement().satisfies(f -> assertThat(f.original()).isEqualTo(FIRST));
        assertThat(h.settings()).isEmpty();
    }

    @Test
    void aHostThatWasOnlyPlannedChangedNothing() {
        KindPlan p = plan(List.of(change("vm.swappiness", "60", "10")), FIRST, "y\n");
        assertThat(HostChanges.of(events(run -> {
            run.before("h", "play", List.of(p), Map.of());
            run.state("h", "play", "failed", "measuring before any change: ...");
        })).isEmpty()).isTrue();
    }
}
