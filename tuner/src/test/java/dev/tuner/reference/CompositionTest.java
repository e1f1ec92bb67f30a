package dev.tuner.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.diag.Diagnostics;
import dev.tuner.testing.MiniJsonSchema;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Desired;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.DefaultBenchmarks;
import dev.tuner.settings.KindInfo;
import dev.tuner.settings.TaskOption;
import dev.tuner.settings.registry.KindOptions;
import dev.tuner.transport.Connection;
import dev.tuner.yaml.YamlDocument;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A kind added to the registry brings its schema, its options and its row with it: composed here
 * from kinds that exist only in this test (no such kind ships), so the generators are seen to
 * follow what kinds declare rather than what the shipped ones happen to be.
 */
class CompositionTest {
    /** A kind that describes itself and does nothing: only its descriptions are read here. */
    record DescribedKind(String name, String summary, List<TaskOption> taskOptions, String schemaFragment, String defaultBenchmarksDoc)
            implements SettingKind {
        @Override
        public KindInfo info() {
            return new KindInfo(name, summary, DefaultBenchmarks.none());
        }

        @Override
        public void validate(Node spec, YamlDocument doc, Diagnostics diags) {}

        @Override
        public List<Desired> desired(int task, Object spec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void read(List<Desired> wanted, HostContext host, ReadScript script) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KindPlan plan(List<Desired> wanted, HostContext host, ReadOutput current) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ApplyReport apply(Connection connection, KindPlan plan, HostContext host) {
            throw new UnsupportedOperationException();
        }
    }

    private static final TaskOption DEFRAG = TaskOption.bool("defrag", "compact memory first");
    private static final TaskOption REBOOT = TaskOption.choice("reboot", "whether the host may reboot", "allowed", "refused", "asked");

    private static final DescribedKind HUGEPAGES = new DescribedKind("hugepages", "transparent hugepages | khugepaged",
            List.of(DEFRAG, REBOOT), """
            {
              "definitions": {"hugepagesMode": {"enum": ["always", "madvise", "never"]}},
              "description": "Transparent hugepages.",
              "type": "object",
              "additionalProperties": false,
              "properties": {"enabled": {"anyOf": [{"$ref": "#/definitions/hugepagesMode"}, {"$ref": "#/definitions/templated"}]}}
            }""", "memory for vm.*");
    private static final DescribedKind READAHEAD = new DescribedKind("readahead", "disk read-ahead", List.of(DEFRAG), """
            {"description": "Read-ahead in KiB per device.", "type": "object", "additionalProperties": {"type": "integer"}}""", "disk");
    private static final DescribedKind PLAIN = new DescribedKind("plain", "no options", List.of(), """
            {"description": "Anything.", "type": "object"}""", "none");

    private static List<String> check(JsonNode schema, Object playbook) {
        return new MiniJsonSchema(schema).validate(playbook);
    }

    private static List<Object> play(Map<String, Object> play) {
        return List.of(play);
    }

    @Test
    void aKindsValueOptionsAndOwnDefinitionsJoinTheSchema() {
        JsonNode schema = PlaybookSchema.compose(List.of(HUGEPAGES, READAHEAD, PLAIN));
        JsonNode defs = schema.get("definitions");
        assertThat(defs.has("hugepages")).isTrue();
        assertThat(defs.has("hugepagesMode")).as("the kind's own definition is hoisted").isTrue();
        assertThat(defs.get("task").get("properties").get("hugepages").get("$ref").asText()).isEqualTo("#/definitions/hugepages");
        assertThat(defs.get("task").get("properties").get("reboot").get("enum")).hasSize(3);
        assertThat(defs.get("task").get("properties").get("defrag").get("description").asText())
                .isEqualTo("compact memory first. Only hugepages and readahead tasks take it.");
        assertThat(defs.get("play").get("properties").get("defrag").get("type").asText()).isEqualTo("boolean");
        assertThat(defs.get("task").get("description").asText())
                .endsWith("Setting kinds: hugepages, readahead, plain. hugepages tasks also take defrag, reboot. readahead tasks also take defrag.");

        assertThat(check(schema, play(Map.of("hosts", "all", "reboot", "asked", "defrag", true,
                "tasks", List.of(Map.of("hugepages", Map.of("enabled", "madvise"), "reboot", "allowed", "defrag", false),
                        Map.of("readahead", Map.of("sda", 4096), "defrag", true),
                        Map.of("hugepages", Map.of("enabled", "{{ mode }}"))))))).isEmpty();
        assertThat(check(schema, play(Map.of("hosts", "all", "tasks", List.of(Map.of("hugepages", Map.of("enabled", "sometimes")))))))
                .as("the hoisted definition is the one checked").isNotEmpty();
        assertThat(check(schema, play(Map.of("hosts", "all", "tasks", List.of(Map.of("readahead", Map.of("sda", 1), "reboot", "allowed"))))))
                .as("reboot is hugepages' option only").isNotEmpty();
        assertThat(check(schema, play(Map.of("hosts", "all", "tasks", List.of(Map.of("plain", Map.of(), "defrag", true))))))
                .as("a kind without options takes none").isNotEmpty();
        assertThat(check(schema, play(Map.of("hosts", "all", "reboot", "sometimes", "tasks", List.of(Map.of("plain", Map.of()))))))
                .as("a play's option value is checked too").isNotEmpty();
        assertThat(check(schema, play(Map.of("hosts", "all", "tasks", List.of(Map.of("plain", Map.of(), "readahead", Map.of()))))))
                .as("one kind per task").isNotEmpty();
    }

    @Test
    void aKindsOwnDefinitionsMustBeNamedAfterIt() {
        DescribedKind clash = new DescribedKind("numa", "NUMA", List.of(), """
                {"definitions": {"templated": {"type": "string"}}, "description": "NUMA.", "type": "object"}""", "none");
        assertThatThrownBy(() -> PlaybookSchema.compose(List.of(clash)))
                .hasMessageContaining("setting kind numa: schema.json defines 'templated'").hasMessageContaining("after the kind");
    }

    @Test
    void aFragmentNeedsADescriptionAndValidJson() {
        DescribedKind bare = new DescribedKind("numa", "NUMA", List.of(), "{\"type\": \"object\"}", "none");
        assertThatThrownBy(() -> PlaybookSchema.compose(List.of(bare))).hasMessageContaining("numa: schema.json needs a description");
        DescribedKind broken = new DescribedKind("numa", "NUMA", List.of(), "{\"type\": \"object\",\n}", "none");
        assertThatThrownBy(() -> PlaybookSchema.compose(List.of(broken))).hasMessageContaining("numa: schema.json is not valid JSON")
                .hasMessageContaining("line 2");
    }

    @Test
    void kindsSharingAnOptionMustDeclareItAlike() {
        DescribedKind other = new DescribedKind("numa", "NUMA", List.of(TaskOption.choice("defrag", "compact", "yes", "no")), "{}", "none");
        assertThatThrownBy(() -> KindOptions.of(List.of(HUGEPAGES, other)))
                .hasMessageContaining("setting kinds hugepages and numa declare task option 'defrag' differently");
    }

    @Test
    void anOptionIsAPlainWord() {
        DescribedKind odd = new DescribedKind("numa", "NUMA", List.of(TaskOption.bool("Force|all", "x")), "{}", "none");
        assertThatThrownBy(() -> KindOptions.of(List.of(odd))).hasMessageContaining("task option 'Force|all' must be a lowercase word");
    }

    @Test
    void theKindsPageHasARowPerKindAndOnePerOption() {
        String page = KindsTable.markdown(List.of(HUGEPAGES, READAHEAD, PLAIN));
        assertThat(page)
                .contains("| `hugepages` | transparent hugepages \\| khugepaged | `defrag`, `reboot` | memory for vm.\\* |\n")
                .contains("| `readahead` | disk read-ahead | `defrag` | disk |\n")
                .contains("| `plain` | no options | none | none |\n")
                .contains("| `defrag` | `true`, `false` | `hugepages`, `readahead` | compact memory first |\n")
                .contains("| `reboot` | `allowed`, `refused`, `asked` | `hugepages` | whether the host may reboot |\n");
        assertThat(KindsTable.markdown(List.of(PLAIN))).as("no options, no options table").doesNotContain("## Task options");
    }
}
