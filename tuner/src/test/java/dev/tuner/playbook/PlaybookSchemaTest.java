package dev.tuner.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.diag.Diagnostics;
import dev.tuner.settings.registry.SettingKinds;
import dev.tuner.testing.MiniJsonSchema;
import dev.tuner.yaml.YamlDocument;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * schema/playbook.schema.json (for editors) and PlaybookParser (for tuner) must accept the same
 * playbooks: the key lists are compared with the parser's own sets, shipped playbooks must pass
 * the schema, and malformed ones the parser refuses for their shape must fail it too.
 */
class PlaybookSchemaTest {
    private static final Path REPO = Path.of(System.getProperty("tuner.repo", "..")).toAbsolutePath().normalize();
    private static final Path SCHEMA_FILE = REPO.resolve("schema/playbook.schema.json");
    /** Corpus files whose mistakes a JSON Schema cannot see: YAML syntax, duplicate keys, cross references, files, inventory. */
    private static final Set<String> BEYOND_A_SCHEMA = Set.of("yaml-syntax.yml", "tab-indent.yml", "duplicate-keys.yml",
            "notify-no-handler.yml", "vars-files-missing.yml", "host-pattern-matches-nothing.yml");

    private static JsonNode schema() throws IOException {
        return new ObjectMapper().readTree(SCHEMA_FILE.toFile());
    }

    private static JsonNode def(String name) throws IOException {
        JsonNode d = schema().get("definitions").get(name);
        assertThat(d).as("definition '%s'", name).isNotNull();
        return d;
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> out = new LinkedHashSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void isDraft07JsonForAListOfPlays() throws IOException {
        JsonNode s = schema();
        assertThat(s.get("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
        assertThat(s.get("type").asText()).isEqualTo("array");
        assertThat(s.get("items").get("$ref").asText()).isEqualTo("#/definitions/play");
    }

    @Test
    void playKeysAreExactlyTheParsers() throws IOException {
        JsonNode play = def("play");
        assertThat(keys(play.get("properties"))).containsExactlyInAnyOrderElementsOf(PlaybookParser.PLAY_KEYS);
        assertThat(texts(play.get("required"))).containsExactlyInAnyOrder("hosts", "tasks");
        assertThat(play.get("additionalProperties").asBoolean(true)).as("unknown play keys are refused").isFalse();
    }

    @Test
    void taskKeysAreTheParsersPlusExactlyOneRegisteredKind() throws IOException {
        JsonNode task = def("task");
        Set<String> expected = new LinkedHashSet<>(PlaybookParser.TASK_KEYS);
        expected.addAll(SettingKinds.names());
        assertThat(keys(task.get("properties"))).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(task.get("additionalProperties").asBoolean(true)).isFalse();
        List<String> oneOf = new ArrayList<>();
        for (JsonNode alt : task.get("oneOf")) {
            assertThat(alt.get("required")).hasSize(1);
            oneOf.add(alt.get("required").get(0).asText());
        }
        assertThat(oneOf).as("'exactly one setting kind' lists every registered kind").containsExactlyInAnyOrderElementsOf(SettingKinds.names());
        for (String kind : SettingKinds.names())
            assertThat(task.get("properties").get(kind).get("$ref").asText()).isEqualTo("#/definitions/" + kind);
        // One by one: AssertJ refuses an empty set to look for, and FUTURE_KINDS is empty while no kind is planned.
        for (String future : PlaybookParser.FUTURE_KINDS)
            assertThat(keys(task.get("properties"))).as("kinds of later versions are refused by the parser").doesNotContain(future);
    }

    @Test
    void handlerAndServiceKeysAndStatesAreTheParsers() throws IOException {
        JsonNode handler = def("handler");
        assertThat(keys(handler.get("properties"))).containsExactlyInAnyOrderElementsOf(PlaybookParser.HANDLER_KEYS);
        JsonNode service = handler.get("properties").get("service");
        assertThat(keys(service.get("properties"))).containsExactlyInAnyOrderElementsOf(PlaybookParser.SERVICE_KEYS);
        assertThat(texts(service.get("properties").get("state").get("enum"))).containsExactlyElementsOf(PlaybookParser.SERVICE_STATES);
    }

    @Test
    void everyKeyHasADescriptionForEditorsToShow() throws IOException {
        for (String d : List.of("play", "task", "handler")) {
            JsonNode props = def(d).get("properties");
            for (String k : keys(props)) {
                JsonNode p = props.get(k);
                // Draft-07 ignores keywords beside $ref, so a description there would never reach the editor.
                if (p.has("$ref")) assertThat(keys(p)).as("%s.%s: nothing beside $ref", d, k).containsExactly("$ref");
                JsonNode described = p.has("$ref") ? def(p.get("$ref").asText().replace("#/definitions/", "")) : p;
                assertThat(described.path("description").asText()).as("%s.%s has a description", d, k).isNotBlank();
            }
        }
    }

    static Stream<Path> shippedPlaybooks() throws IOException {
        try (Stream<Path> s = Files.list(REPO.resolve("playbooks"))) {
            return s.filter(p -> p.toString().matches(".*\\.ya?ml")).sorted().toList().stream();
        }
    }

    static Stream<Path> malformedPlaybooks() throws IOException, URISyntaxException {
        Path dir = Path.of(PlaybookSchemaTest.class.getResource("/playbook/malformed").toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !BEYOND_A_SCHEMA.contains(p.getFileName().toString())).sorted().toList().stream();
        }
    }

    private static Object yaml(Path file) {
        Diagnostics d = new Diagnostics();
        YamlDocument doc = YamlDocument.load(file, file.toString(), d);
        assertThat(d.hasErrors()).as("%s is readable YAML: %s", file, d.all()).isFalse();
        return doc.root().map(YamlDocument::toJava).orElse(null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedPlaybooks")
    void shippedPlaybooksPassTheSchema(Path playbook) throws IOException {
        assertThat(new MiniJsonSchema(schema()).validate(yaml(playbook))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPlaybooks")
    void playbooksTheParserRefusesForTheirShapeFailTheSchema(Path playbook) throws IOException {
        assertThat(new MiniJsonSchema(schema()).validate(yaml(playbook))).as("schema accepted %s", playbook.getFileName()).isNotEmpty();
    }

    @Test
    void theSchemaAcceptsEveryFormTheReadmeShows() throws IOException {
        // The README's playbook example, plus the alternative forms the parser accepts.
        Object readme = YamlDocument.toJava(YamlDocument.parse("""
                - name: Database host tuning
                  hosts: db:&prod
                  vars: {swappiness: 10}
                  vars_files: [vars/site.yml]
                  serial: [1, "30%"]
                  tags: [db]
                  gather_facts: false
                  power_cycle: refused
                  rollback_on_regression: true
                  verify: none
                  tasks:
                    - name: Keep the database in memory
                      tags: memory
                      when: facts.memory.total_mb > 8192
                      sysctl:
                        vm.swappiness: "{{ swappiness }}"
                        net.ipv4.tcp_rmem: "4096 65536 {{ 128 * 1024 * 1024 }}"
                        net/ipv4/conf/eth0.100/rp_filter: 1
                    - name: Ansible form
                      sysctl: {name: vm.dirty_ratio, value: 10}
                    - name: Full speed
                      governor: {governor: performance, cpus: "0-7", no_turbo: true}
                      notify: restart tuned
                    - name: Name only
                      governor: schedutil
                      when: [facts.cpu_count > 4, "true"]
                  handlers:
                    - name: restart tuned
                      listen: tuning changed
                      service: {name: tuned, state: restarted}
                """, "readme", new Diagnostics()).root().orElseThrow());
        assertThat(new MiniJsonSchema(schema()).validate(readme)).isEmpty();
    }
}
