package dev.tuner.settings.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreesTest {
    @Test
    void leavesAreTheValuesThatAreNotTablesInFileOrderAndAnEmptyTableHasNone() {
        JsonNode tree = TomlValues.parse("""
                version = 2
                [plugins."io.containerd.gc.v1.scheduler"]
                  pause_threshold = 0.02
                [plugins."io.containerd.internal.v1.opt"]
                [proxy_plugins]
                  list = [1, 2]
                  inline = { a = 1 }
                """, "config.toml");

        Map<List<String>, JsonNode> leaves = Trees.leaves(tree);

        assertThat(leaves.keySet()).containsExactly(
                List.of("version"),
                List.of("plugins", "io.containerd.gc.v1.scheduler", "pause_threshold"),
                List.of("proxy_plugins", "list"),
                List.of("proxy_plugins", "inline", "a"));
        assertThat(leaves.get(List.of("proxy_plugins", "list")).size()).isEqualTo(2);
        assertThat(Trees.leaves(TomlValues.parse("", "empty.toml"))).isEmpty();
    }

    @Test
    void valuesAsPlansCarryThemCompareAsTheDaemonReadsThem() {
        assertThat(Trees.same("3", "3.0", TomlValues::parseValue)).isTrue();
        assertThat(Trees.same("[1, 2]", "[2, 1]", TomlValues::parseValue)).isFalse();
        assertThat(Trees.same(null, null, TomlValues::parseValue)).isTrue();
        assertThat(Trees.same(null, "1", TomlValues::parseValue)).isFalse();
        // Text that does not parse is compared as text.
        assertThat(Trees.same("not toml", "not toml", TomlValues::parseValue)).isTrue();
    }
}
