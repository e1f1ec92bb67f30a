package dev.tuner.settings.sysctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SysctlConfFilesTest {
    @Test
    void laterFileNamesWinAndEtcMasksUsrLibOfTheSameName() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("/usr/lib/sysctl.d/50-default.conf", "vm.swappiness = 60\nkernel.pid_max = 4194304\n");
        files.put("/etc/sysctl.d/50-default.conf", "vm.swappiness = 30\n");
        files.put("/etc/sysctl.d/60-tuner.conf", "vm.swappiness = 10\n");
        files.put("/etc/sysctl.d/99-local.conf", "# local\n; also a comment\n-net/ipv4/tcp_fin_timeout=15\n");

        Map<String, SysctlConfFiles.Assignment> boot = SysctlConfFiles.effective(files);

        assertThat(boot.get("vm.swappiness").value()).isEqualTo("10");
        assertThat(boot.get("vm.swappiness").file()).isEqualTo("/etc/sysctl.d/60-tuner.conf");
        // /etc's 50-default.conf masks /usr/lib's file of the same name entirely
        assertThat(boot).doesNotContainKey("kernel.pid_max");
        assertThat(boot.get("net.ipv4.tcp_fin_timeout").value()).isEqualTo("15");
        assertThat(boot.get("net.ipv4.tcp_fin_timeout").line()).isEqualTo(3);
    }

    @Test
    void etcSysctlConfIsReadLast() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("/etc/sysctl.conf", "vm.dirty_ratio=40\n");
        files.put("/etc/sysctl.d/99-z.conf", "vm.dirty_ratio=5\n");
        assertThat(SysctlConfFiles.effective(files).get("vm.dirty_ratio").value()).isEqualTo("40");
    }
}
