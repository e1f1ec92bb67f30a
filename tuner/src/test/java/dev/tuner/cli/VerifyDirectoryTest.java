package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.Repo;
import dev.tuner.testing.TunerCli;
import dev.tuner.verify.Benchmarks;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Benchmarks come from verify/ beside the playbook or beside its playbooks/ directory, never from a folder further up. */
class VerifyDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aVerifyFolderAboveTheProjectIsNotRead() throws Exception {
        Path unrelated = Files.createDirectories(tmp.resolve("verify"));
        Files.writeString(unrelated.resolve("docker-compose.yml"), "- just\n- a list\n");
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path playbook = project.resolve("site.yml");
        Files.writeString(playbook, "- hosts: all\n  tasks:\n    - name: swap\n      sysctl: {vm.swappiness: 10}\n");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path inventory = project.resolve("hosts.yml");
        Files.writeString(inventory, "all:\n  hosts:\n    db01: {ansible_host: 127.0.0.1, ansible_port: " + closedPort + "}\n");

        TunerCli.Result r = TunerCli.run("apply", playbook.toString(), "-i", inventory.toString(), "--journal", tmp.resolve("j").toString());
        assertThat(r.err() + r.out()).doesNotContain("benchmark", "docker-compose");
        assertThat(r.out()).as(r.screen()).contains("unreachable");
    }

    @Test
    void theRepositoryLayoutAndAFolderBesideThePlaybookAreFound() throws Exception {
        assertThat(Benchmarks.userDirFor(Repo.path("playbooks"))).isEqualTo(Repo.path("verify"));
        Path own = Files.createDirectories(tmp.resolve("site/verify"));
        assertThat(Benchmarks.userDirFor(tmp.resolve("site"))).isEqualTo(own);
        Files.createDirectories(tmp.resolve("elsewhere/deeper"));
        assertThat(Benchmarks.userDirFor(tmp.resolve("elsewhere/deeper"))).isNull();
    }
}
