package dev.tuner.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DefaultBenchmarksTest {
    @Test
    void eachSettingKindGetsTheBenchmarkThatShowsIt() {
        assertThat(DefaultBenchmarks.defaultsFor("governor", null, "performance")).containsExactly("cpu");
        assertThat(DefaultBenchmarks.defaultsFor("sysctl", "vm.dirty_ratio", "10")).containsExactly("disk");
        assertThat(DefaultBenchmarks.defaultsFor("sysctl", "vm.dirty_background_bytes", "0")).containsExactly("disk");
        assertThat(DefaultBenchmarks.defaultsFor("sysctl", "vm.swappiness", "10")).containsExactly("memory");
        assertThat(DefaultBenchmarks.defaultsFor("sysctl", "net.core.somaxconn", "4096")).containsExactly("network");
        assertThat(DefaultBenchmarks.defaultsFor("vmx", "scsi0.virtualDev", "pvscsi")).containsExactly("disk");
        assertThat(DefaultBenchmarks.defaultsFor("vmx", "ethernet1.virtualDev", "vmxnet3")).containsExactly("network");
        assertThat(DefaultBenchmarks.defaultsFor("containerd", "SystemdCgroup", "true")).containsExactly("container");
        assertThat(DefaultBenchmarks.defaultsFor("docker", "log-driver", "local")).containsExactly("container");
        assertThat(DefaultBenchmarks.defaultsFor("crio", null, null)).containsExactly("container");
    }

    @Test
    void settingsWithNoMeaningfulBenchmarkGetNone() {
        assertThat(DefaultBenchmarks.defaultsFor("sysctl", "kernel.pid_max", "4194304")).isEmpty();
        assertThat(DefaultBenchmarks.defaultsFor("vmx", "numvcpus", "4")).isEmpty();
        assertThat(DefaultBenchmarks.defaultsFor("file", "/etc/motd", null)).isEmpty();
    }
}
