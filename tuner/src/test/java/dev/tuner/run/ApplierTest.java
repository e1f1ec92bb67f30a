package dev.tuner.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tuner.journal.JournalEvent;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.KindPlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The applier on this machine through the local connection, writing only files in a test directory. */
class ApplierTest {
    @TempDir
    Path dir;

    static final String PLAY = """
            - name: files
              hosts: all
              gather_facts: false
              tasks:
                - name: first
                  template: {src: motd.ftl, dest: "{{ dir }}/first", mode: "0640"}
                - name: second
                  template: {src: motd.ftl, dest: "{{ dir }}/second"}
            """;

    /** Bytes a rewrite could easily get wrong: CRLF, a character beyond ASCII, no final newline. */
    static final byte[] ORIGINAL = "kept\r\nbyte for byte: \u00e9t\u00e9".getBytes(StandardCharsets.UTF_8);

    Path first() throws Exception {
        Files.writeString(dir.resolve("motd.ftl"), "managed by tuner\n");
        Path first = dir.resolve("first");
        Files.write(first, ORIGINAL);
        Files.setPosixFilePermissions(first, PosixFilePermissions.fromString("rw-r--r--"));
        return first;
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void appliesThePlansInOrderJournalsThemAndTheirInverseRestoresTheBytes() throws Exception {
        Path first = first();
        Path second = dir.resolve("second");
        try (LocalPlay p = new LocalPlay(dir, PLAY, Map.of())) {
            HostPlan plan = p.plan();
            Applier applier = p.applier(plan);

            Applier.Outcome out = applier.apply(List.copyOf(plan.plans().values()), "applying %s");

            assertThat(out.failed()).as("%s", out.error()).isFalse();
            assertThat(Files.readString(first)).isEqualTo("managed by tuner\n");
            assertThat(mode(first)).isEqualTo("rw-r-----");
            assertThat(Files.readString(second)).isEqualTo("managed by tuner\n");
            assertThat(p.journal.events(p.run.id()).get("local")).extracting(JournalEvent::event, JournalEvent::kind)
                    .containsExactly(tuple("started", "template"), tuple("applied", "template"));

            String left = applier.revert(List.of(Inverse.of("template", out.applied().get(0).report())));

            assertThat(left).startsWith("reverted to its previous state (");
            assertThat(Files.readAllBytes(first)).isEqualTo(ORIGINAL);
            assertThat(mode(first)).isEqualTo("rw-r--r--");
            assertThat(second).as("a file that did not exist is removed again").doesNotExist();
            assertThat(p.journal.events(p.run.id()).get("local")).extracting(JournalEvent::event)
                    .containsExactly("started", "applied", "started", "applied");
        }
    }

    @Test
    void aPlanThatFailsStopsTheSequenceNamingWhereAndTheRevertPutsBackTheRest() throws Exception {
        Path first = first();
        Path second = dir.resolve("second");
        try (LocalPlay p = new LocalPlay(dir, PLAY, Map.of())) {
            HostPlan plan = p.plan();
            // One plan per task, so the first can go through before the second fails.
            KindPlan one = onlyTask(plan.plans().get("template"), 0);
            KindPlan two = onlyTask(plan.plans().get("template"), 1);
            Applier applier = p.applier(plan);
            Files.writeString(second, "written by someone else since the plan\n");

            Applier.Outcome out = applier.apply(List.of(one, two), "applying %s");

            assertThat(out.failed()).isTrue();
            assertThat(out.applied()).extracting(a -> a.plan()).containsExactly(one);
            assertThat(out.failedPlan()).isEqualTo(two);
            assertThat(out.error().getMessage()).contains(second.toString()).contains("changed on the host since it was read");
            assertThat(out.error().host()).isEqualTo("local");
            assertThat(out.error().kind()).isEqualTo("template");
            assertThat(out.error().task()).isEqualTo("second");
            assertThat(Files.readString(first)).isEqualTo("managed by tuner\n");

            String left = applier.revert(List.of(Inverse.of("template", out.applied().get(0).report()),
                    Inverse.of("template", two.changes(), two.files())));

            assertThat(left).startsWith("could not revert template (").contains("changed on the host since it was read")
                    .contains("the rest was reverted (").contains("tuner rollback " + p.run.id());
            assertThat(Files.readAllBytes(first)).isEqualTo(ORIGINAL);
            assertThat(Files.readString(second)).as("someone else's file is not overwritten").isEqualTo("written by someone else since the plan\n");
        }
    }

    @Test
    void anUnexpectedErrorOfAKindIsContainedAsAnInternalError() throws Exception {
        Files.writeString(dir.resolve("motd.ftl"), "x\n");
        try (LocalPlay p = new LocalPlay(dir, PLAY, Map.of())) {
            // A journal written by a newer tuner can name a kind this one does not have.
            KindPlan unknown = new KindPlan("hugepages", List.of(new Change(0, "hugepages", "nr", "0", "64", null, ChangeState.CHANGE,
                    Cost.LIVE, null)), List.of(), List.of());

            Applier.Outcome out = p.applier(p.plan()).apply(List.of(unknown), "applying %s");

            assertThat(out.failed()).isTrue();
            assertThat(out.error().getMessage()).startsWith("internal error: java.lang.IllegalArgumentException: unknown setting kind hugepages");
            assertThat(out.error().kind()).isEqualTo("hugepages");
            assertThat(out.error().task()).isEqualTo("first");
        }
    }

    /** The host's journal file replaced by a directory: every record after this fails to be written, as on a full disk. */
    static void breakJournal(LocalPlay p) throws Exception {
        Path f = p.journal.dir().resolve("runs").resolve(p.run.id()).resolve("hosts").resolve("local.jsonl");
        Files.deleteIfExists(f);
        Files.createDirectory(f);
    }

    @Test
    void aChangeWhoseStartedRecordCannotBeWrittenIsNotMade() throws Exception {
        Path first = first();
        try (LocalPlay p = new LocalPlay(dir, PLAY, Map.of())) {
            HostPlan plan = p.plan();
            breakJournal(p);

            Applier.Outcome out = p.applier(plan).apply(List.copyOf(plan.plans().values()), "applying %s");

            assertThat(out.failed()).isTrue();
            assertThat(out.applied()).isEmpty();
            assertThat(out.error().getMessage()).contains("cannot write journal", "local.jsonl");
            assertThat(Files.readAllBytes(first)).as("untouched").isEqualTo(ORIGINAL);
            assertThat(dir.resolve("second")).doesNotExist();
        }
    }

    @Test
    void aRevertGoesOnWhenTheJournalCannotBeWrittenAndSaysSo() throws Exception {
        Path first = first();
        try (LocalPlay p = new LocalPlay(dir, PLAY, Map.of())) {
            HostPlan plan = p.plan();
            Applier applier = p.applier(plan);
            Applier.Outcome out = applier.apply(List.copyOf(plan.plans().values()), "applying %s");
            assertThat(out.failed()).as("%s", out.error()).isFalse();
            breakJournal(p);

            String left = applier.revert(List.of(Inverse.of("template", out.applied().get(0).report())));

            assertThat(left).startsWith("reverted to its previous state (").contains("the journal did not record the revert (cannot write journal");
            assertThat(Files.readAllBytes(first)).isEqualTo(ORIGINAL);
            assertThat(dir.resolve("second")).doesNotExist();
        }
    }

    static KindPlan onlyTask(KindPlan p, int task) {
        return new KindPlan(p.kind(), p.changes().stream().filter(c -> c.task() == task).toList(),
                p.files().stream().filter(f -> f.task() == task).toList(), List.of());
    }
}
