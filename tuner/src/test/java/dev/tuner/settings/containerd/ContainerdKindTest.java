package dev.tuner.settings.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.report.FileDiff;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.Desired;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.KindPlan;
import dev.tuner.testing.LocalHost;
import dev.tuner.testing.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merged configuration is checked by the real containerd (Debian's package: {@code containerd
 * --config FILE config dump} loads the file and its imports without running the daemon).
 */
class ContainerdKindTest {
    /** /etc/containerd/config.toml as Debian 12's containerd package ships it. */
    static final String DEBIAN_DEFAULT = """
            version = 2

            [plugins]
              [plugins."io.containerd.grpc.v1.cri"]
                [plugins."io.containerd.grpc.v1.cri".cni]
                  bin_dir = "/usr/lib/cni"
                  conf_dir = "/etc/cni/net.d"
              [plugins."io.containerd.internal.v1.opt"]
                path = "/var/lib/containerd/opt"
            """;

    private final ContainerdKind kind = new ContainerdKind();

    @TempDir
    Path dir;

    @BeforeAll
    static void needsContainerd() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/containerd")) || Files.isExecutable(Path.of("/usr/local/bin/containerd"));
        Peers.require("containerd", present ? null
                : "not installed (apt-get install -y containerd; the tests only run 'containerd config dump')");
    }

    /** containerd's own view of a config file and its imports. */
    static String dump(Path config) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("containerd", "--config", config.toString(), "config", "dump").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("containerd config dump: %s", out).isZero();
        return out;
    }

    private LocalHost host(Path main, Path dropin) {
        return new LocalHost(kind, Map.of("tuner_containerd_config", main.toString(), "tuner_containerd_dropin", dropin.toString()), dir);
    }

    private List<Desired> wanted(Map<String, Object> spec) {
        return kind.desired(0, spec);
    }

    @Test
    void containerdReplacesAPluginsWholeSectionWithAnImportedOne() throws Exception {
        // Why a key of a plugin the main config configures is written in place, not in the drop-in.
        Path main = dir.resolve("config.toml");
        Files.writeString(main, DEBIAN_DEFAULT.replace("version = 2\n", "version = 2\nimports = [\"d.toml\"]\n"));
        Files.writeString(dir.resolve("d.toml"), "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\n  SystemdCgroup = true\n");
        String out = dump(main);
        assertThat(out).contains("SystemdCgroup = true").doesNotContain("bin_dir = \"/usr/lib/cni\"");
    }

    @Test
    void debianDefaultConfigGetsCriKeysInPlaceOtherPluginsInTheDropinAndContainerdReadsThemAll() throws Exception {
        Path main = dir.resolve("containerd/config.toml");
        Path dropin = dir.resolve("containerd/conf.d/60-tuner.toml");
        Files.createDirectories(main.getParent());
        Files.writeString(main, DEBIAN_DEFAULT);
        LocalHost h = host(main, dropin);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options.SystemdCgroup", true);
        spec.put("plugins.\"io.containerd.grpc.v1.cri\"", Map.of("max_concurrent_downloads", 10L));
        spec.put("plugins.\"io.containerd.gc.v1.scheduler\".pause_threshold", 0.03);
        spec.put("oom_score", -999L);

        KindPlan plan = h.plan(wanted(spec));

        assertThat(plan.changes()).allMatch(c -> c.state() == ChangeState.CHANGE && c.cost() == Cost.RESTART);
        Change cgroup = plan.changes().get(0);
        assertThat(cgroup.current()).isNull();
        assertThat(cgroup.note()).contains("set in " + main).contains("replaces a plugin's whole section");
        assertThat(plan.files()).extracting(FileChange::path).containsExactly(dropin.toString(), main.toString());
        String mainDiff = FileDiff.unified(plan.files().get(1));
        assertThat(mainDiff).contains("+imports = [\"" + dropin + "\"]", "+            SystemdCgroup = true", "+    max_concurrent_downloads = 10");
        assertThat(mainDiff.lines().filter(l -> l.startsWith("-") && !l.startsWith("---"))).isEmpty();

        ApplyReport applied = h.apply(plan);
        // Everything Debian had is still there, byte for byte, around the inserted lines.
        String mainNow = LocalHost.text(main);
        assertThat(mainNow.replaceAll("(?m)^.*(imports = |SystemdCgroup = true|max_concurrent_downloads = 10).*\\n", "")
                .replace("          [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\n", ""))
                .isEqualTo(DEBIAN_DEFAULT);

        String out = dump(main);
        assertThat(out).contains("SystemdCgroup = true", "bin_dir = \"/usr/lib/cni\"", "max_concurrent_downloads = 10",
                "pause_threshold = 0.03", "oom_score = -999", "path = \"/var/lib/containerd/opt\"");

        assertThat(h.plan(wanted(spec)).hasChanges()).isFalse();

        h.rollback(applied);
        assertThat(LocalHost.text(main)).isEqualTo(DEBIAN_DEFAULT);
        assertThat(dropin).doesNotExist();
    }

    @Test
    void withoutAMainConfigAMinimalOneImportsTheDropin() throws Exception {
        Path main = dir.resolve("config.toml");
        Path dropin = dir.resolve("conf.d/60-tuner.toml");
        LocalHost h = host(main, dropin);
        Map<String, Object> spec = Map.of("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options.SystemdCgroup", true);

        ApplyReport applied = h.apply(h.plan(wanted(spec)));

        // containerd 1.6 here: a version 2 config.
        assertThat(LocalHost.text(main)).isEqualTo("version = 2\nimports = [\"" + dropin + "\"]\n");
        assertThat(LocalHost.text(dropin)).contains("version = 2", "SystemdCgroup = true");
        String out = dump(main);
        assertThat(out).contains("SystemdCgroup = true").contains("bin_dir = \"/opt/cni/bin\"");
        assertThat(h.plan(wanted(spec)).hasChanges()).isFalse();

        h.rollback(applied);
        assertThat(main).doesNotExist();
        assertThat(dropin).doesNotExist();
    }

    @Test
    void anExistingImportGlobIsReusedAndKeysAlreadySetAreInSync() throws Exception {
        Path main = dir.resolve("config.toml");
        Path dropin = dir.resolve("conf.d/60-tuner.toml");
        String original = "version = 2\nimports = [\"" + dir + "/conf.d/*.toml\"]  # site drop-ins\n\n[plugins.\"io.containerd.internal.v1.opt\"]\n  path = \"/opt/containerd\"\n";
        Files.writeString(main, original);
        LocalHost h = host(main, dropin);
        Map<String, Object> spec = Map.of("plugins.\"io.containerd.gc.v1.scheduler\".deletion_threshold", 5L);

        KindPlan plan = h.plan(wanted(spec));
        assertThat(plan.files()).extracting(FileChange::path).containsExactly(dropin.toString());
        h.apply(plan);
        assertThat(LocalHost.text(main)).isEqualTo(original);
        assertThat(dump(main)).contains("deletion_threshold = 5", "path = \"/opt/containerd\"");
        assertThat(h.plan(wanted(spec)).changes()).allMatch(c -> c.state() == ChangeState.OK);
    }

    @Test
    void versionThreeConfigsGetTheSplitCriPluginNames() throws Exception {
        Path main = dir.resolve("config.toml");
        Path dropin = dir.resolve("conf.d/60-tuner.toml");
        Files.writeString(main, "version = 3\n");
        LocalHost h = host(main, dropin);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options.SystemdCgroup", true);
        spec.put("plugins.\"io.containerd.grpc.v1.cri\".sandbox_image", "registry.k8s.io/pause:3.10");
        spec.put("plugins.\"io.containerd.grpc.v1.cri\".containerd.snapshotter", "overlayfs");

        KindPlan plan = h.plan(wanted(spec));

        String drop = plan.files().get(0).after();
        assertThat(drop).contains("version = 3", "[plugins.\"io.containerd.cri.v1.runtime\".containerd.runtimes.runc.options]",
                "[plugins.\"io.containerd.cri.v1.images\".pinned_images]", "sandbox = \"registry.k8s.io/pause:3.10\"",
                "[plugins.\"io.containerd.cri.v1.images\"]", "snapshotter = \"overlayfs\"").doesNotContain("grpc.v1.cri");
        assertThat(plan.changes().get(0).note()).contains("written as plugins.\"io.containerd.cri.v1.runtime\"").contains("version 3");

        // A v2 name tuner cannot place in v3 is refused, naming the key, and refuses the rest of the configuration with it.
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("plugins.\"io.containerd.grpc.v1.cri\".no_such_option", 1L);
        bad.put("oom_score", -999L);
        KindPlan refused = h.plan(wanted(bad));
        assertThat(refused.files()).isEmpty();
        assertThat(refused.changes().get(0).note()).contains("version 3").contains("no_such_option");
        assertThat(refused.changes().get(1).state()).isEqualTo(ChangeState.FAILED);
        assertThat(refused.changes().get(1).note()).isEqualTo("not written: 'plugins.\"io.containerd.grpc.v1.cri\".no_such_option' is invalid, "
                + "so containerd's configuration (" + main + ", " + dropin + ") is left as it is");
        h.apply(refused);
        assertThat(LocalHost.text(main)).isEqualTo("version = 3\n");
        assertThat(dropin).doesNotExist();
    }

    @Test
    void aKeySetByTwoTasksTakesTheLaterValueAndThePlanNamesBothTasks() throws Exception {
        Path main = dir.resolve("config.toml");
        Path dropin = dir.resolve("conf.d/60-tuner.toml");
        Files.writeString(main, "version = 2\n");
        LocalHost h = host(main, dropin);
        List<Desired> wanted = new java.util.ArrayList<>(kind.desired(0, Map.of("oom_score", -999L, "plugins.\"io.containerd.gc.v1.scheduler\".pause_threshold", 0.02)));
        // The same value spelled as a nested table: no news.
        wanted.addAll(kind.desired(1, Map.of("oom_score", -500L, "plugins", Map.of("\"io.containerd.gc.v1.scheduler\"", Map.of("pause_threshold", 0.02)))));

        KindPlan plan = h.plan(wanted);

        assertThat(plan.notes()).containsExactly("oom_score is set by task #1 (-999) and task #2 (-500); the later one wins");
        h.apply(plan);
        assertThat(dump(main)).contains("oom_score = -500", "pause_threshold = 0.02");
    }

    @Test
    void aVersionOneConfigIsRefusedWithTheWayOut() throws Exception {
        Path main = dir.resolve("config.toml");
        String v1 = "[plugins.cri]\n  sandbox_image = \"k8s.gcr.io/pause:3.2\"\n";
        Files.writeString(main, v1);
        LocalHost h = host(main, dir.resolve("d.toml"));
        KindPlan plan = h.plan(wanted(Map.of("oom_score", -999L)));
        assertThat(plan.files()).isEmpty();
        assertThat(plan.changes().get(0).state()).isEqualTo(ChangeState.FAILED);
        assertThat(plan.changes().get(0).note()).contains("config version 1").contains("no 'version' line").contains("migrate");
        h.apply(plan);
        assertThat(LocalHost.text(main)).isEqualTo(v1);
    }
}
