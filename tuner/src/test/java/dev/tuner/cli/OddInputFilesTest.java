package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.TunerCli;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Playbooks, inventories and variables files that are not regular files, or are too large, are
 * refused with what they are. The timeouts keep a regression (blocking on a pipe, reading
 * /dev/zero until the heap is gone) from hanging the build; they are not speed targets.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OddInputFilesTest {
    @TempDir
    Path dir;

    private Path fifo(String name) throws Exception {
        Path p = dir.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        assertThat(mk.waitFor()).isZero();
        return p;
    }

    private Path sparse(String name, long bytes) throws Exception {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return p;
    }

    private static Path playbook(Path dir, String extra) throws Exception {
        Path p = dir.resolve("site.yml");
        Files.writeString(p, "- hosts: all\n" + extra + "  tasks:\n    - sysctl: {vm.swappiness: 10}\n");
        return p;
    }

    @Test
    void aDirectoryGivenAsThePlaybookIsNamedAsADirectory() throws Exception {
        Path d = Files.createDirectories(dir.resolve("playbooks"));
        TunerCli.Result r = TunerCli.run("validate", d.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains(TunerCli.displayed(d) + ": playbook is a directory, not a file").doesNotContain("not found");
    }

    @Test
    void aFifoGivenAsThePlaybookIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path p = fifo("site.yml");
        TunerCli.Result r = TunerCli.run("validate", p.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains("playbook is a named pipe (FIFO), not a regular file");
    }

    @Test
    void devZeroAsTheInventoryIsRefusedAsADevice() {
        TunerCli.Result r = TunerCli.run("inventory", "-i", "/dev/zero", "--list");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains("/dev/zero: inventory is a character device, not a regular file").doesNotContain("OutOfMemoryError");
    }

    @Test
    void aFifoInventoryIsRefused() throws Exception {
        Path p = fifo("hosts.ini");
        TunerCli.Result r = TunerCli.run("inventory", "-i", p.toString(), "--list");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains("inventory is a named pipe (FIFO)");
    }

    @Test
    void aHugeInventoryIsRefusedByItsSizeBeforeItIsRead() throws Exception {
        Path p = sparse("hosts.yml", 64L * 1024 * 1024 * 1024);
        TunerCli.Result r = TunerCli.run("inventory", "-i", p.toString(), "--list");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains("inventory is larger than 16 MiB (68719476736 bytes)");
    }

    @Test
    void aFifoAmongVarsFilesAndGroupVarsIsNamed() throws Exception {
        fifo("vars.yml");
        Path pb = playbook(dir, "  vars_files: [vars.yml]\n");
        Files.createDirectories(dir.resolve("group_vars"));
        fifo("group_vars/all.yml");
        Files.writeString(dir.resolve("hosts.ini"), "web1\n");
        TunerCli.Result r = TunerCli.run("validate", pb.toString(), "-i", dir.resolve("hosts.ini").toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains("vars.yml: vars file is a named pipe (FIFO)")
                .contains("all.yml: variables file is a named pipe (FIFO)");
    }

    @Test
    void aDirectoryThatLinksBackUpIsReadOnce() throws Exception {
        Path inv = Files.createDirectories(dir.resolve("inv"));
        Files.writeString(inv.resolve("hosts"), "web1\n");
        Files.createSymbolicLink(inv.resolve("loop"), inv);
        TunerCli.Result r = TunerCli.run("inventory", "-i", inv.toString(), "--graph");
        assertThat(r.exitCode()).as(r.screen()).isZero();
        assertThat(r.out()).contains("web1");
    }
}
