package dev.tuner.settings.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Problem;
import dev.tuner.playbook.PlaybookParser;
import dev.tuner.report.FileDiff;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Desired;
import dev.tuner.settings.KindPlan;
import dev.tuner.testing.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        assertThat(Files.readString(dest)).startsWith("# Managed by tuner").contains("* soft nofile 65536");
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
