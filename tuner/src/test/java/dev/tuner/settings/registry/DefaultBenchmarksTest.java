package dev.tuner.settings.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind names the benchmark that shows its settings; the verifier asks the kind through the registry. */
class DefaultBenchmarksTest {
    private static List<String> defaults(String kind, String key, String value) {
        Change c = new Change(0, kind, key, null, value, null, ChangeState.CHANGE, Cost.LIVE, null);
        return SettingKinds.require(kind).defaultBenchmarks(c);
    }

    @Test
    void eachSettingKindGetsTheBenchmarkThatShowsIt() {
        assertThat(defaults("governor", "governor", "performance")).containsExactly("cpu");
        assertThat(defaults("sysctl", "vm.dirty_ratio", "10")).containsExactly("disk");
        assertThat(defaults("sysctl", "vm.dirty_background_bytes", "0")).containsExactly("disk");
        assertThat(defaults("sysctl", "vm.swappiness", "10")).containsExactly("memory");
        assertThat(defaults("sysctl", "net.core.somaxconn", "4096")).containsExactly("network");
        assertThat(defaults("vmx", "scsi0.virtualDev", "pvscsi")).containsExactly("disk");
        assertThat(defaults("vmx", "ethernet1.virtualDev", "vmxnet3")).containsExactly("network");
        assertThat(defaults("containerd", "SystemdCgroup", "true")).containsExactly("container");
        assertThat(defaults("docker", "log-driver", "local")).containsExactly("container");
        assertThat(defaults("crio", "crio.runtime.cgroup_manager", "systemd")).containsExactly("container");
        assertThat(defaults("sysfs", "kernel/mm/transparent_hugepage/enabled", "madvise")).containsExactly("memory");
        assertThat(defaults("sysfs", "kernel/mm/transparent_hugepage/defrag", "defer+madvise")).containsExactly("memory");
        assertThat(defaults("sysfs", "block/sda/queue/scheduler", "mq-deadline")).containsExactly("disk");
        assertThat(defaults("sysfs", "block/nvme0n1/queue/read_ahead_kb", "4096")).containsExactly("disk");
    }

    @Test
    void settingsWithNoMeaningfulBenchmarkGetNone() {
        assertThat(defaults("sysctl", "kernel.pid_max", "4194304")).isEmpty();
        assertThat(defaults("vmx", "numvcpus", "4")).isEmpty();
        assertThat(defaults("template", "/etc/motd", "templates/motd.ftl")).isEmpty();
        assertThat(defaults("sysfs", "kernel/mm/ksm/run", "1")).isEmpty();
        assertThat(defaults("sysfs", "block/sda/device/timeout", "60")).isEmpty();
    }

    @Test
    void everyRegisteredKindDescribesItsDefaults() {
        for (String name : SettingKinds.names()) assertThat(SettingKinds.require(name).defaultBenchmarksDoc()).as(name).isNotBlank();
    }
}
