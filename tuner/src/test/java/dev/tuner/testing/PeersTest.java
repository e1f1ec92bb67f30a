package dev.tuner.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.TestAbortedException;

/** How the CI variable is read: a CI that spells "true" another way must still fail missing peers, not skip them. */
class PeersTest {
    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True", "1", "yes", "YES", "on", "y", "woodpecker", " true "})
    void setToAnythingTrueIshIsCi(String value) {
        assertThat(Peers.isCi(value)).as("CI=%s", value).isTrue();
        assertThatThrownBy(() -> Peers.require("vcsim", "build.sh exited 1", value))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("vcsim unavailable: build.sh exited 1");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "false", "FALSE", "False", "0", "no", "NO", "off", " "})
    void unsetEmptyOrFalseIsADevelopersMachine(String value) {
        assertThat(Peers.isCi(value)).as("CI=%s", value).isFalse();
        assertThatThrownBy(() -> Peers.require("vcsim", "build.sh exited 1", value))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("vcsim unavailable: build.sh exited 1");
    }

    @Test
    void anAvailablePeerNeitherSkipsNorFails() {
        assertThatCode(() -> Peers.require("sshd", null, "true")).doesNotThrowAnyException();
        assertThatCode(() -> Peers.require("sshd", null, null)).doesNotThrowAnyException();
    }
}
