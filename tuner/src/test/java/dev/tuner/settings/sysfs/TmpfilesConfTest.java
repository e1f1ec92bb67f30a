package dev.tuner.settings.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.settings.sysfs.TmpfilesConf.WriteLine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tmpfiles.d(5) rules tuner reads persisted values with (the lab test checks them against systemd-tmpfiles itself). */
class TmpfilesConfTest {
    private static final String THP = "/sys/kernel/mm/transparent_hugepage/enabled";

    private static WriteLine boot(Map<String, String> files, String attribute) {
        return TmpfilesConf.bootValue(TmpfilesConf.effective(files), attribute);
    }

    @Test
    void wLinesAreReadWithTheirArgumentAsTmpfilesWritesIt() {
        List<WriteLine> lines = TmpfilesConf.writeLines("/etc/tmpfiles.d/x.conf", String.join("\n",
                "# comment",
                "w " + THP + " - - - - madvise",
                "  w-  /sys/block/sda/queue/write_cache  -  -  -  -  write back",
                "w+ /sys/block/sdb/queue/scheduler - - - - bfq",
                "w \"/sys/block/sdc/queue/nr_requests\" - - - - 1\\x32\\\\8",
                "w /sys/block/sdd/queue/read_ahead_kb - - - - 100%%",
                "w~ /sys/block/sde/queue/scheduler - - - - a3liZXI=",
                "d /run/foo 0755 root root -",
                "w /sys/block/sdf/queue/scheduler - - - -",
                "w /sys/block/sdg/queue/scheduler"));
        assertThat(lines).extracting(WriteLine::path, WriteLine::value, WriteLine::append, WriteLine::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple(THP, "madvise", false, 2),
                org.assertj.core.groups.Tuple.tuple("/sys/block/sda/queue/write_cache", "write back", false, 3),
                org.assertj.core.groups.Tuple.tuple("/sys/block/sdb/queue/scheduler", "bfq", true, 4),
                org.assertj.core.groups.Tuple.tuple("/sys/block/sdc/queue/nr_requests", "12\\8", false, 5),
                org.assertj.core.groups.Tuple.tuple("/sys/block/sdd/queue/read_ahead_kb", "100%", false, 6),
                org.assertj.core.groups.Tuple.tuple("/sys/block/sde/queue/scheduler", "kyber", false, 7));
    }

    @Test
    void ourLinesReadBackAsTheValueWritten() {
        for (String v : List.of("madvise", "write back", "100%", "a\\b", "50%%"))
            assertThat(TmpfilesConf.parse(TmpfilesConf.line(THP, v), "f", 1).value()).as(v).isEqualTo(v);
        assertThat(TmpfilesConf.line(THP, "madvise")).isEqualTo("w " + THP + " - - - - madvise");
    }

    @Test
    void theEarliestFileNameWinsForOnePathAndEtcMasksTheSameNameElsewhere() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("/etc/tmpfiles.d/60-tuner-sysfs.conf", "w " + THP + " - - - - never\n");
        files.put("/usr/lib/tmpfiles.d/10-vendor.conf", "w " + THP + " - - - - always\n");
        assertThat(boot(files, THP)).extracting(WriteLine::value, WriteLine::where).containsExactly("always", "/usr/lib/tmpfiles.d/10-vendor.conf:1");
        files.put("/etc/tmpfiles.d/10-vendor.conf", "# masked by the administrator\n");
        assertThat(boot(files, THP)).extracting(WriteLine::value, WriteLine::where).containsExactly("never", "/etc/tmpfiles.d/60-tuner-sysfs.conf:1");
        // Files outside the tmpfiles.d directories, or not *.conf, are not read at boot.
        assertThat(boot(Map.of("/etc/tuner/60-tuner-sysfs.conf", "w " + THP + " - - - - never\n"), THP)).isNull();
        assertThat(boot(Map.of("/etc/tmpfiles.d/x.conf.disabled", "w " + THP + " - - - - never\n"), THP)).isNull();
    }

    @Test
    void aLaterLineWhoseGlobMatchesWritesLastAndAppendsAlwaysWrite() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("/etc/tmpfiles.d/60-tuner-sysfs.conf", "w /sys/block/sda/queue/read_ahead_kb - - - - 4096\n"
                + "w /sys/block/sdb/queue/read_ahead_kb - - - - 4096\n");
        files.put("/etc/tmpfiles.d/90-site.conf", "w /sys/block/sd[a]/queue/read_ahead_kb - - - - 512\n");
        assertThat(boot(files, "/sys/block/sda/queue/read_ahead_kb").value()).isEqualTo("512");
        assertThat(boot(files, "/sys/block/sdb/queue/read_ahead_kb").value()).isEqualTo("4096");
        files.put("/etc/tmpfiles.d/95-more.conf", "w+ /sys/block/sdb/queue/read_ahead_kb - - - - 64\n");
        assertThat(boot(files, "/sys/block/sdb/queue/read_ahead_kb").value()).isEqualTo("64");
        assertThat(boot(files, "/sys/block/sdc/queue/read_ahead_kb")).isNull();
    }

    @Test
    void ourDropInKeepsOtherLinesAndReplacesOursByPath() {
        String before = "# Managed by tuner\nw " + THP + " - - - - never\nw /sys/block/sdb/queue/nr_requests - - - - 32\nz /run/x 0644 - - -\n";
        LinkedHashMap<String, String> lines = TmpfilesConf.managedLines("f", before);
        assertThat(lines.keySet()).containsExactly(THP, "/sys/block/sdb/queue/nr_requests", "\0z /run/x 0644 - - -");
        lines.put(THP, TmpfilesConf.line(THP, "madvise"));
        assertThat(TmpfilesConf.render(lines)).isEqualTo("# Managed by tuner: rewritten on every apply; change the playbook instead.\n"
                + "w " + THP + " - - - - madvise\nw /sys/block/sdb/queue/nr_requests - - - - 32\nz /run/x 0644 - - -\n");
    }
}
