package dev.tuner.settings.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Problem;
import dev.tuner.playbook.PlaybookParser;
import dev.tuner.report.FileDiff;
import dev.tuner.settings.ApplyException;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Desired;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.KindPlan;
import dev.tuner.testing.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateKindTest {
    private final TemplateKind kind = new TemplateKind();

    @TempDir
    Path dir;

    private List<Desired> wanted(Path dest) {
        return kind.desired(0, Map.of("src", "templates/limits.conf.ftl", "dest", dest.toString(), "mode", "0640", "owner", "root", "group", "root"));
    }

    @Test
    void rendersVarsAndFactsShowsADiffAndRestoresBytesAndMode() throws Exception {
        Path playbooks = dir.resolve("playbooks");
        Files.createDirectories(playbooks);
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/limits.conf.ftl"), "# ${tuner_managed}\n* soft nofile ${nofile}\n# cpus: ${facts.cpu.count}\n");
        Path dest = dir.resolve("etc/security/limits.d/90-tuner.conf");
        Files.createDirectories(dest.getParent());
        String original = "* soft nofile 1024\n";
        Files.writeString(dest, original);
        Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rw-r--r--"));
        LocalHost h = new LocalHost(kind, Map.of("nofile", 65536, "facts", Map.of("cpu", Map.of("count", 2))), playbooks);

        KindPlan plan = h.plan(wanted(dest));

        assertThat(FileDiff.unified(plan.files().get(0))).contains("-* soft nofile 1024", "+* soft nofile 65536", "+# cpus: 2");
        assertThat(plan.changes()).anySatisfy(c -> {
            assertThat(c.key()).isEqualTo(dest + " mode");
            assertThat(c.current()).isEqualTo("0644");
            assertThat(c.desired()).isEqualTo("0640");
        });
        ApplyReport applied = h.apply(plan);
        assertThat(Files.readString(dest)).startsWith("# Managed by tuner: rewritten on every apply; change the playbook instead.\n")
                .contains("* soft nofile 65536");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest))).isEqualTo("rw-r-----");
        assertThat(h.plan(wanted(dest)).changes()).allMatch(c -> c.state() == ChangeState.OK);

        h.rollback(applied);
        assertThat(Files.readString(dest)).isEqualTo(original);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest))).isEqualTo("rw-r--r--");
    }

    @Test
    void aNewFileIsRemovedAgainByRollback() throws Exception {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/limits.conf.ftl"), "x ${nofile}\n");
        Path dest = dir.resolve("new/file.conf");
        LocalHost h = new LocalHost(kind, Map.of("nofile", 1), dir);
        ApplyReport applied = h.apply(h.plan(wanted(dest)));
        assertThat(Files.readString(dest)).isEqualTo("x 1\n");
        h.rollback(applied);
        assertThat(dest).doesNotExist();
    }

    @Test
    void aDestSetByTwoTasksIsWrittenAsTheLaterOneSaysAndThePlanNamesBoth() throws Exception {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/a.ftl"), "from a\n");
        Files.writeString(dir.resolve("templates/b.ftl"), "from b\n");
        Path dest = dir.resolve("etc/app.conf");
        LocalHost h = new LocalHost(kind, Map.of(), dir);
        List<Desired> wanted = new ArrayList<>(kind.desired(0, Map.of("src", "templates/a.ftl", "dest", dest.toString(), "mode", "0600")));
        // The same file, spelled with a redundant "./".
        wanted.addAll(kind.desired(1, Map.of("src", "templates/b.ftl", "dest", dir.resolve("etc/./app.conf").toString(), "mode", "0640")));

        KindPlan plan = h.plan(wanted);

        assertThat(plan.notes()).singleElement().satisfies(n -> assertThat(n)
                .contains("task #1 (src templates/a.ftl, mode 0600)", "task #2 (src templates/b.ftl, mode 0640)", "the later one wins"));
        assertThat(plan.changes()).allMatch(c -> c.task() == 1);
        h.apply(plan);
        assertThat(Files.readString(dest)).isEqualTo("from b\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest))).isEqualTo("rw-r-----");

        // The same wish twice is no news.
        List<Desired> twice = new ArrayList<>(kind.desired(0, Map.of("src", "templates/b.ftl", "dest", dest.toString())));
        twice.addAll(kind.desired(1, Map.of("src", "templates/b.ftl", "dest", dest.toString())));
        assertThat(h.plan(twice).notes()).isEmpty();
    }

    @Test
    void aFileWhoseNameEndsLikeAnAttributeIsWrittenAndRolledBack() throws Exception {
        // Its content change reads "<dir>/quiet mode": apply acts on the change's target, not on the words of its key.
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/limits.conf.ftl"), "quiet ${nofile}\n");
        Path dest = dir.resolve("quiet mode");
        Files.writeString(dest, "loud\n");
        Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rw-r--r--"));
        LocalHost h = new LocalHost(kind, Map.of("nofile", 1), dir);

        ApplyReport applied = h.apply(h.plan(wanted(dest)));
        assertThat(applied.failed()).isFalse();
        assertThat(Files.readString(dest)).isEqualTo("quiet 1\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest))).isEqualTo("rw-r-----");

        h.rollback(applied);
        assertThat(Files.readString(dest)).isEqualTo("loud\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest))).isEqualTo("rw-r--r--");
    }

    @Test
    void aJournalWithoutTargetsRestoresTheContentAndFailsTheModeSayingWhatToSet() throws Exception {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/limits.conf.ftl"), "new ${nofile}\n");
        Path dest = dir.resolve("limits.conf");
        String original = "old\n";
        Files.writeString(dest, original);
        Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rw-r--r--"));
        LocalHost h = new LocalHost(kind, Map.of("nofile", 1), dir);
        ApplyReport applied = h.apply(h.plan(wanted(dest)));

        // The record as a journal written before changes carried targets holds it: no "target" field.
        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        ObjectNode record = json.valueToTree(applied);
        assertThat(record.get("changes")).isNotEmpty();
        record.get("changes").forEach(c -> ((ObjectNode) c).remove("target"));
        ApplyReport old = json.treeToValue(record, ApplyReport.class);
        assertThat(old.changes()).allMatch(c -> c.target().isEmpty());

        ApplyReport restored = h.rollback(old);

        assertThat(Files.readString(dest)).isEqualTo(original);
        assertThat(restored.filesWritten()).extracting(FileChange::path).containsExactly(dest.toString());
        assertThat(restored.changes()).filteredOn(c -> c.state() == ChangeState.FAILED).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo(dest + " mode");
            assertThat(c.note()).contains("not restored", "set it by hand to 0644");
        });
        // The mode is left as the apply set it, and the report says so.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest))).isEqualTo("rw-r-----");
    }

    @Test
    void aFileEditedOrCreatedBetweenPlanAndApplyIsRefusedAndLeftAsItIsNow() throws Exception {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/limits.conf.ftl"), "planned ${nofile}\n");
        LocalHost h = new LocalHost(kind, Map.of("nofile", 1), dir);

        Path edited = dir.resolve("edited.conf");
        Files.writeString(edited, "before\n");
        KindPlan plan = h.plan(wanted(edited));
        Files.writeString(edited, "edited by hand\n");
        assertThatThrownBy(() -> h.apply(plan)).isInstanceOf(ApplyException.class)
                .hasMessageContaining(edited + " changed on the host since it was read").hasMessageContaining("run plan again");
        assertThat(Files.readString(edited)).isEqualTo("edited by hand\n");

        Path created = dir.resolve("created.conf");
        KindPlan forNew = h.plan(wanted(created));
        Files.writeString(created, "created by hand\n");
        assertThatThrownBy(() -> h.apply(forNew)).isInstanceOf(ApplyException.class)
                .hasMessageContaining(created + " changed on the host since it was read (it is there now)");
        assertThat(Files.readString(created)).isEqualTo("created by hand\n");
    }

    @Test
    void anUndefinedVariableFailsNamingTheTemplateLine() throws Exception {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/limits.conf.ftl"), "ok\nvalue ${missing_var}\n");
        Path dest = dir.resolve("out.conf");
        KindPlan plan = new LocalHost(kind, Map.of(), dir).plan(wanted(dest));
        assertThat(plan.files()).isEmpty();
        assertThat(plan.changes().get(0).state()).isEqualTo(ChangeState.FAILED);
        assertThat(plan.changes().get(0).note()).contains("limits.conf.ftl:2:").contains("missing_var");
    }

    @Test
    void validationRefusesWhatWouldReachAShellAndMissingOrBrokenTemplates() throws Exception {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/broken.ftl"), "<#if x>unclosed\n");
        Path pb = dir.resolve("pb.yml");
        Files.writeString(pb, """
                - hosts: all
                  tasks:
                    - template: {src: templates/none.ftl, dest: /etc/a.conf}
                    - template: {src: templates/broken.ftl, dest: /etc/b.conf, mode: "64x", owner: "root;rm -rf /"}
                    - template: {src: templates/broken.ftl, dest: relative/c.conf, grup: root}
                """);
        Diagnostics d = new Diagnostics();
        PlaybookParser.parse(pb, d);
        List<String> lines = d.all().stream().map(Problem::toString).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":3:").contains("templates/none.ftl' not found"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":4:").contains("broken.ftl:").contains("template: "));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":4:").contains("'mode' must be octal"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":4:").contains("'owner' must be a user/group name"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":5:").contains("path must be absolute"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":5:").contains("did you mean 'group'"));
    }
}
