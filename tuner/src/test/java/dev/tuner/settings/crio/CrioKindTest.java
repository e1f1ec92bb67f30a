package dev.tuner.settings.crio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.Desired;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.files.TomlValues;
import dev.tuner.testing.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrioKindTest {
    private final CrioKind kind = new CrioKind();

    @TempDir
    Path dir;

    private LocalHost host() {
        return new LocalHost(kind, Map.of("tuner_crio_config", dir.resolve("crio.conf").toString(),
                "tuner_crio_dropin", dir.resolve("crio.conf.d/60-tuner.toml").toString()), dir);
    }

    @Test
    void writesTheDropinWithCostsAndRollsBack() throws Exception {
        Files.writeString(dir.resolve("crio.conf"), "[crio.runtime]\ncgroup_manager = \"cgroupfs\"\n");
        Path dropin = dir.resolve("crio.conf.d/60-tuner.toml");
        LocalHost h = host();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("crio.runtime.cgroup_manager", "systemd");
        spec.put("runtime", Map.of("log_level", "warn"));
        spec.put("crio.image.pause_image", "registry.k8s.io/pause:3.9");

        KindPlan plan = h.plan(kind.desired(0, spec));

        assertThat(plan.changes()).extracting(Change::key).containsExactly("crio.runtime.cgroup_manager", "crio.runtime.log_level", "crio.image.pause_image");
        assertThat(plan.changes()).extracting(Change::cost).containsExactly(Cost.RESTART, Cost.RELOAD, Cost.RELOAD);
        assertThat(plan.changes().get(0).current()).isEqualTo("\"cgroupfs\"");
        ApplyReport applied = h.apply(plan);
        var tree = TomlValues.parse(Files.readString(dropin), dropin.toString());
        assertThat(tree.at("/crio/runtime/cgroup_manager").asText()).isEqualTo("systemd");
        assertThat(tree.at("/crio/image/pause_image").asText()).isEqualTo("registry.k8s.io/pause:3.9");
        assertThat(h.plan(kind.desired(0, spec)).hasChanges()).isFalse();

        h.rollback(applied);
        assertThat(dropin).doesNotExist();
    }

    @Test
    void keepsOtherManagedKeysAndNamesAFileThatOverridesIt() throws Exception {
        Path d = dir.resolve("crio.conf.d");
        Files.createDirectories(d);
        String ours = "# Managed by tuner\n[crio.runtime]\n  conmon_cgroup = \"pod\"\n";
        Files.writeString(d.resolve("60-tuner.toml"), ours);
        Files.writeString(d.resolve("99-site.conf"), "[crio.runtime]\ncgroup_manager = \"cgroupfs\"\n");
        LocalHost h = host();

        KindPlan plan = h.plan(kind.desired(0, Map.of("crio.runtime.cgroup_manager", "systemd")));

        assertThat(plan.changes().get(0).note()).contains("overridden by " + d.resolve("99-site.conf"));
        assertThat(plan.files().get(0).after()).contains("conmon_cgroup = \"pod\"", "cgroup_manager = \"systemd\"");
        ApplyReport applied = h.apply(plan);
        h.rollback(applied);
        assertThat(Files.readString(d.resolve("60-tuner.toml"))).isEqualTo(ours);
    }

    @Test
    void theDropinCarriesTheManagedNoticeAndALaterTaskWinsWithANote() throws Exception {
        Path dropin = dir.resolve("crio.conf.d/60-tuner.toml");
        LocalHost h = host();
        List<Desired> wanted = new ArrayList<>(kind.desired(0, Map.of("crio.runtime.cgroup_manager", "cgroupfs")));
        wanted.addAll(kind.desired(1, Map.of("runtime.cgroup_manager", "systemd")));

        KindPlan plan = h.plan(wanted);

        assertThat(plan.notes()).containsExactly(
                "crio.runtime.cgroup_manager is set by task #1 (\"cgroupfs\") and task #2 (\"systemd\"); the later one wins");
        h.apply(plan);
        String text = Files.readString(dropin);
        assertThat(text).startsWith("# Managed by tuner: rewritten on every apply; change the playbook instead.\n");
        assertThat(TomlValues.parse(text, dropin.toString()).at("/crio/runtime/cgroup_manager").asText()).isEqualTo("systemd");
    }

    @Test
    void aLaterFileThatOnlyOpensATableOverridesNothing() throws Exception {
        // CRI-O reads each file key by key: an empty [crio.runtime] sets no option.
        Path d = dir.resolve("crio.conf.d");
        Files.createDirectories(d);
        Files.writeString(d.resolve("60-tuner.toml"), "[crio.runtime]\n  cgroup_manager = \"systemd\"\n");
        Files.writeString(d.resolve("99-site.conf"), "[crio.runtime]\n");

        KindPlan plan = host().plan(kind.desired(0, Map.of("crio.runtime.cgroup_manager", "systemd")));

        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.state()).isEqualTo(ChangeState.OK);
            assertThat(c.note()).isNull();
        });
    }

    @Test
    void anUnreadableCrioConfFailsEveryKeyAndWritesNothing() throws Exception {
        LocalHost h = host();
        KindPlan plan;
        try (var socket = LocalHost.unreadable(dir.resolve("crio.conf"))) {
            plan = h.plan(kind.desired(0, Map.of("crio.runtime.cgroup_manager", "systemd", "crio.runtime.log_level", "warn")));
        }

        assertThat(plan.files()).isEmpty();
        assertThat(plan.changes()).hasSize(2).allSatisfy(c -> {
            assertThat(c.state()).isEqualTo(ChangeState.FAILED);
            assertThat(c.note()).startsWith("cannot read " + dir.resolve("crio.conf") + ": ");
        });
        assertThat(plan.changes()).extracting(Change::cost).containsExactlyInAnyOrder(Cost.RESTART, Cost.RELOAD);
        h.apply(plan);
        assertThat(dir.resolve("crio.conf.d")).doesNotExist();
    }

    @Test
    void unknownOptionsAreNamedWithASuggestion() {
        assertThat(CrioKind.unknown(List.of("crio", "runtime", "cgroup_manger"))).contains("did you mean 'cgroup_manager'");
        assertThat(CrioKind.unknown(List.of("crio", "runtim", "x"))).contains("no table crio.runtim").contains("'runtime'");
        assertThat(CrioKind.unknown(List.of("crio", "image", "pause_image"))).isNull();
    }

}
