package dev.tuner.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.diag.Diagnostics;
import dev.tuner.playbook.Play;
import dev.tuner.playbook.Playbook;
import dev.tuner.playbook.PlaybookParser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped example validates cleanly: no errors, no warnings. */
class ContainerHostPlaybookTest {
    @Test
    void shippedContainerHostPlaybookValidates() {
        Path pb = Path.of(System.getProperty("tuner.repo", ".."), "playbooks/container-host.yml");
        Diagnostics d = new Diagnostics();
        Playbook playbook = PlaybookParser.parse(pb, d);
        assertThat(d.all()).isEmpty();
        Play play = playbook.plays().get(0);
        assertThat(play.tasks()).extracting(t -> t.kind()).containsExactly("docker", "docker", "containerd", "crio", "crio", "template");
        assertThat(play.handlers()).extracting(h -> h.name()).contains("restart docker", "reload docker", "restart containerd", "restart crio", "reload crio");
    }
}
