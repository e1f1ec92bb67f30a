package dev.tuner.settings.crio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.files.TomlValues;
import dev.tuner.testing.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void unknownOptionsAreNamedWithASuggestion() {
        assertThat(CrioKind.unknown(List.of("crio", "runtime", "cgroup_manger"))).contains("did you mean 'cgroup_manager'");
        assertThat(CrioKind.unknown(List.of("crio", "runtim", "x"))).contains("no table crio.runtim").contains("'runtime'");
        assertThat(CrioKind.unknown(List.of("crio", "image", "pause_image"))).isNull();
    }

}
