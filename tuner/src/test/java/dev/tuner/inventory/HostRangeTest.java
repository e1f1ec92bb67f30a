package dev.tuner.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostRangeTest {
    @Test
    void numericRangesKeepZeroPadding() throws Exception {
        assertThat(HostRange.expand("db[01:03].example.com")).containsExactly("db01.example.com", "db02.example.com", "db03.example.com");
        assertThat(HostRange.expand("n[8:10]")).containsExactly("n8", "n9", "n10");
    }

    @Test
    void lettersStepsAndSeveralRangesMultiply() throws Exception {
        assertThat(HostRange.expand("r[a:c]")).containsExactly("ra", "rb", "rc");
        assertThat(HostRange.expand("n[1:10:4]")).containsExactly("n1", "n5", "n9");
        assertThat(HostRange.expand("[a:b]-[1:2]")).containsExactly("a-1", "a-2", "b-1", "b-2");
        assertThat(HostRange.expand("n[:2]")).containsExactly("n0", "n1", "n2");
    }

    @Test
    void errorsPointAtTheRangeEvenAfterAnEarlierOneExpanded() {
        assertThatThrownBy(() -> HostRange.expand("rack[1:2]-node[5:1]"))
                .isInstanceOfSatisfying(HostRange.RangeException.class, e -> assertThat(e.offset).isEqualTo(14))
                .hasMessage("host range [5:1] must have begin <= end");
        assertThatThrownBy(() -> HostRange.expand("n[1:5:0]")).hasMessage("host range [1:5:0] must have a step of at least 1");
        assertThatThrownBy(() -> HostRange.expand("n[1:5")).hasMessage("host range '[1:5' has no closing ']'");
        assertThatThrownBy(() -> HostRange.expand("n[1]")).hasMessage("host range [1] must be begin:end or begin:end:step");
    }
}
