package dev.tuner.diag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
    @Test
    void suggestsTheNearestKnownNameForATypo() {
        assertThat(Suggest.didYouMean("vm.swapines", List.of("vm.swappiness", "vm.dirty_ratio")))
                .isEqualTo(" (did you mean 'vm.swappiness'?)");
    }

    @Test
    void staysSilentWhenNothingIsClose() {
        assertThat(Suggest.closest("completely", List.of("sysctl", "governor"))).isEmpty();
    }
}
