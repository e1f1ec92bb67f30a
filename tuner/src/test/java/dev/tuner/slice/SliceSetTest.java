package dev.tuner.slice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The slices of several documents fit together only as every slice of one count, once each. */
class SliceSetTest {
    @Test
    void unionRefusesOverlapsOtherCountsAndGaps() {
        SliceSet one = SliceSet.of(new Slice(1, 3));
        SliceSet two = SliceSet.of(new Slice(2, 3));
        SliceSet three = SliceSet.of(new Slice(3, 3));
        assertThat(SliceSet.union(ordered("a", one, "b", two, "c", three)).names()).containsExactly("1/3", "2/3", "3/3");
        assertThatThrownBy(() -> SliceSet.union(ordered("a", one, "b", two, "c", two)))
                .hasMessageContaining("slice 2/3 is in both b and c");
        assertThatThrownBy(() -> SliceSet.union(ordered("a", one, "b", SliceSet.of(new Slice(2, 4)))))
                .hasMessageContaining("different counts");
        assertThatThrownBy(() -> SliceSet.union(ordered("a", one, "c", three))).hasMessageContaining("slice 2/3 missing");
        assertThatThrownBy(() -> SliceSet.union(ordered("a", SliceSet.WHOLE, "b", two))).hasMessageContaining("a covers every host");
        assertThat(SliceSet.union(ordered("a", SliceSet.WHOLE)).isWhole()).isTrue();
    }

    private static Map<String, SliceSet> ordered(Object... kv) {
        Map<String, SliceSet> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (SliceSet) kv[i + 1]);
        return m;
    }
}
