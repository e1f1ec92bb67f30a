package dev.tuner.settings.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuner.settings.ApplyException;
import org.junit.jupiter.api.Test;

class SysfsPathTest {
    @Test
    void pathsRelativeToSysWithWildcardsAreAccepted() {
        for (String ok : new String[] {"kernel/mm/transparent_hugepage/enabled", "block/sd*/queue/scheduler", "block/sd?/queue/read_ahead_kb",
                "bus/pci/devices/0000:00:1f.2/power/control", "class/net/eth0.100/queue/tx-0/xps_cpus", "module/zswap/parameters/enabled",
                "devices/system/cpu/cpu*/power/energy_perf_bias", "block/dm-0/queue/scheduler"})
            assertThat(SysfsPath.syntaxError(ok)).as(ok).isNull();
        assertThat(SysfsPath.isGlob("block/sd*/queue/scheduler")).isTrue();
        assertThat(SysfsPath.isGlob("block/sda/queue/scheduler")).isFalse();
        assertThat(SysfsPath.absolute("block/sda/queue/scheduler")).isEqualTo("/sys/block/sda/queue/scheduler");
    }

    @Test
    void pathsThatLeaveSysOrCarryShellSyntaxAreRefused() {
        assertThat(SysfsPath.syntaxError("/sys/kernel/mm/transparent_hugepage/enabled")).contains("write 'kernel/mm/transparent_hugepage/enabled'");
        assertThat(SysfsPath.syntaxError("/etc/shadow")).contains("paths are relative to /sys");
        assertThat(SysfsPath.syntaxError("block/../../etc/shadow")).contains("'..' is not allowed");
        assertThat(SysfsPath.syntaxError("./block")).contains("'.' is not allowed");
        assertThat(SysfsPath.syntaxError("block//sda")).contains("empty path segment");
        assertThat(SysfsPath.syntaxError("block/sda/")).contains("empty path segment");
        assertThat(SysfsPath.syntaxError("")).isEqualTo("empty path");
        for (String bad : new String[] {"block/sda; reboot", "block/$(id)", "block/`id`", "block/sd[ab]", "block/sd{a,b}", "block/sda queue",
                "kernel/%h", "block/sda\\x", "block/'x'", "block/~root", "block/sda\n/x"})
            assertThat(SysfsPath.syntaxError(bad)).as(bad).contains("only letters, digits");
        assertThat(SysfsPath.syntaxError("a".repeat(1100))).contains("longer than");
    }

    @Test
    void applyWritesOnlyOneAttributeUnderSys() {
        assertThat(SysfsPath.checkedAttribute("/sys/block/sda/queue/scheduler")).isEqualTo("/sys/block/sda/queue/scheduler");
        assertThatThrownBy(() -> SysfsPath.checkedAttribute("/sys/block/sd*/queue/scheduler")).isInstanceOf(ApplyException.class)
                .hasMessageContaining("not one attribute");
        assertThatThrownBy(() -> SysfsPath.checkedAttribute("/proc/sys/vm/swappiness")).isInstanceOf(ApplyException.class);
        assertThatThrownBy(() -> SysfsPath.checkedAttribute("/sys/block/../../etc/passwd")).isInstanceOf(ApplyException.class);
        assertThatThrownBy(() -> SysfsPath.checkedAttribute(null)).isInstanceOf(ApplyException.class);
    }
}
