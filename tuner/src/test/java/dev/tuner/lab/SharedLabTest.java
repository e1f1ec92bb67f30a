package dev.tuner.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.LabHosts.Host;
import dev.tuner.testing.LabHosts;
import org.junit.jupiter.api.Test;

/** The JVM-wide lab: started once, shared by test classes, not stopped by close(). */
class SharedLabTest {

    @Test
    void sharedLabIsStartedOnceAndSurvivesClose() {
        LabHosts lab = LabHosts.shared();
        assertThat(LabHosts.shared()).isSameAs(lab);
        assertThat(lab.hosts()).hasSize(LabHosts.SHARED_SIZE);
        lab.close();
        assertThat(lab.isStopped()).isFalse();
        for (Host h : lab.hosts()) {
            assertThat(lab.exec(h, "hostname").out().strip()).isEqualTo(h.name());
        }
    }
}
