package dev.tuner.settings.sysctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SysctlKeyTest {
    @Test
    void dottedAndSlashFormsMapToProcSys() {
        assertThat(SysctlKey.of("vm.swappiness").procPath()).isEqualTo("/proc/sys/vm/swappiness");
        assertThat(SysctlKey.of("net/ipv4/conf/eth0.100/rp_filter").procPath()).isEqualTo("/proc/sys/net/ipv4/conf/eth0.100/rp_filter");
        assertThat(SysctlKey.of("net/ipv4/tcp_rmem").canonical()).isEqualTo("net.ipv4.tcp_rmem");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vm swappiness", "vm..swappiness", "$(reboot)", "vm.swappiness;reboot", "../../etc/passwd",
            "/proc/sys/vm/swappiness", "vm.swappiness\n", "swappiness", "vm.`id`", "net/ipv4/../../x"})
    void refusesAnythingThatIsNotAKey(String key) {
        assertThat(SysctlKey.syntaxError(key)).isNotNull();
    }

    @Test
    void valuesAreComparedAsTheKernelPrintsThem() {
        assertThat(SysctlValues.same("4096\t87380\t6291456", "4096 87380 6291456")).isTrue();
        assertThat(SysctlValues.same("010", "10")).isTrue();
        assertThat(SysctlValues.same("10", "11")).isFalse();
        assertThat(SysctlValues.fromYaml(true)).isEqualTo("1");
        assertThat(SysctlValues.fromYaml(java.util.List.of(4096, 87380, 6291456L))).isEqualTo("4096 87380 6291456");
    }
}
