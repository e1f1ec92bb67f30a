package dev.tuner.settings.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values as the kernel prints them (Documentation/admin-guide/mm/transhuge.rst, block/queue-sysfs.rst) and as playbooks give them. */
class SysfsValueTest {
    @Test
    void theBracketedWordIsTheValueAndEveryWordAChoice() {
        assertThat(SysfsValue.read("always [madvise] never\n")).isEqualTo(new SysfsValue("madvise", List.of("always", "madvise", "never")));
        assertThat(SysfsValue.read("always defer defer+madvise [madvise] never\n"))
                .isEqualTo(new SysfsValue("madvise", List.of("always", "defer", "defer+madvise", "madvise", "never")));
        assertThat(SysfsValue.read("[mq-deadline] kyber bfq none\n").value()).isEqualTo("mq-deadline");
        assertThat(SysfsValue.read("[none] mq-deadline\n").choices()).containsExactly("none", "mq-deadline");
    }

    @Test
    void plainAttributesAreTheirValueWithWhitespaceCollapsed() {
        assertThat(SysfsValue.read("128\n")).isEqualTo(new SysfsValue("128", List.of()));
        assertThat(SysfsValue.read("write back\n")).isEqualTo(new SysfsValue("write back", List.of()));
        // A scheduler list without a selection (a queue without an elevator) offers nothing to check.
        assertThat(SysfsValue.read("none\n").offersChoices()).isFalse();
        // Brackets that are not one selected word are text, not choices.
        assertThat(SysfsValue.read("[a] [b] c\n")).isEqualTo(new SysfsValue("[a] [b] c", List.of()));
        assertThat(SysfsValue.read("x[1] y\n").offersChoices()).isFalse();
    }

    @Test
    void onlyOfferedChoicesAreAccepted() {
        SysfsValue thp = SysfsValue.read("always [madvise] never\n");
        assertThat(thp.offers("never")).isTrue();
        assertThat(thp.offers(" never ")).isTrue();
        assertThat(thp.offers("sometimes")).isFalse();
        assertThat(thp.offers("Never")).as("the kernel matches choices exactly").isFalse();
        assertThat(SysfsValue.read("128\n").offers("anything")).isTrue();
    }

    @Test
    void playbookValuesBecomeTheTextToWrite() {
        assertThat(SysfsValue.fromYaml(4096L)).isEqualTo("4096");
        assertThat(SysfsValue.fromYaml(4096.0)).isEqualTo("4096");
        assertThat(SysfsValue.fromYaml(" madvise ")).isEqualTo("madvise");
        assertThat(SysfsValue.fromYaml("write back")).isEqualTo("write back");
        assertThat(SysfsValue.fromYaml("50%")).isEqualTo("50%");
        assertThatThrownBy(() -> SysfsValue.fromYaml(true)).hasMessageContaining("'true' is a YAML boolean");
        assertThatThrownBy(() -> SysfsValue.fromYaml(null)).hasMessage("no value given");
        assertThatThrownBy(() -> SysfsValue.fromYaml("  ")).hasMessage("empty value");
        assertThatThrownBy(() -> SysfsValue.fromYaml("a\nb")).hasMessage("a sysfs value must be one line");
        assertThatThrownBy(() -> SysfsValue.fromYaml("a\u001bb")).hasMessageContaining("control characters");
        assertThatThrownBy(() -> SysfsValue.fromYaml(List.of(1))).hasMessageContaining("not a list");
        assertThatThrownBy(() -> SysfsValue.fromYaml(Map.of())).hasMessageContaining("not a mapping");
    }

    @Test
    void valuesCompareAsTheKernelPrintsThem() {
        assertThat(SysfsValue.same("0128", "128")).isTrue();
        assertThat(SysfsValue.same("write  back", "write back")).isTrue();
        assertThat(SysfsValue.same("madvise", "never")).isFalse();
    }
}
