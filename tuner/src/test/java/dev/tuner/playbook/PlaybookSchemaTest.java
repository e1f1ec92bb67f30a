package dev.tuner.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Problem;
import dev.tuner.reference.PlaybookSchema;
import dev.tuner.settings.registry.KindOptions;
import dev.tuner.settings.registry.SettingKinds;
import dev.tuner.testing.MiniJsonSchema;
import dev.tuner.yaml.YamlDocument;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The playbook schema (for editors: what {@code tuner schema} prints and schema/playbook.schema.json
 * holds, composed from the setting kinds) and PlaybookParser (for tuner) must accept the same
 * playbooks: the key lists are compared with the parser's own sets, each kind's task options are
 * taken on its tasks only by both, shipped playbooks must pass the schema, and malformed ones the
 * parser refuses for their shape must fail it too.
 */
class PlaybookSchemaTest {
    private static final Path REPO = Path.of(System.getProperty("tuner.repo", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Corpus files whose mistakes a JSON Schema cannot see: YAML syntax, duplicate keys, cross references, files, inventory. */
    private static final Set<String> BEYOND_A_SCHEMA = Set.of("yaml-syntax.yml", "tab-indent.yml", "duplicate-keys.yml",
            "notify-no-handler.yml", "vars-files-missing.yml", "host-pattern-matches-nothing.yml");

    private static JsonNode schema() throws IOException {
        return JSON.readTree(PlaybookSchema.text());
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
    void verifyMappingKeysAreTheParsers() throws IOException {
        assertThat(keys(def("playVerify").get("anyOf").get(2).get("properties"))).containsExactlyElementsOf(VerifyKeys.PLAY_KEYS);
        assertThat(keys(def("verify").get("anyOf").get(2).get("properties"))).containsExactlyElementsOf(VerifyKeys.TASK_KEYS);
        assertThat(def("play").get("properties").get("verify").get("$ref").asText()).isEqualTo("#/definitions/playVerify");
        assertThat(def("task").get("properties").get("verify").get("$ref").asText()).isEqualTo("#/definitions/verify");
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

    @Test
    void playAndTaskKeysAreTheParsersBaseKeysPlusTheKindsOptions() {
        Set<String> options = KindOptions.registered().names();
        assertThat(PlaybookParser.PLAY_KEYS).containsAll(PlaybookParser.BASE_PLAY_KEYS).containsAll(options)
                .hasSize(PlaybookParser.BASE_PLAY_KEYS.size() + options.size());
        assertThat(PlaybookParser.TASK_KEYS).containsAll(PlaybookParser.BASE_TASK_KEYS).containsAll(options)
                .hasSize(PlaybookParser.BASE_TASK_KEYS.size() + options.size());
    }

    static Stream<Arguments> optionsAndKinds() {
        List<Arguments> out = new ArrayList<>();
        for (String option : KindOptions.registered().names())
            for (String kind : SettingKinds.names()) out.add(Arguments.of(option, kind));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on a {1} task")
    @MethodSource("optionsAndKinds")
    void aTaskOptionIsTakenOnlyOnTasksOfTheKindsThatDeclareIt(String option, String kind, @TempDir Path tmp) throws IOException {
        KindOptions.Declared declared = KindOptions.registered().get(option).orElseThrow();
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("name", "t");
        task.put(kind, example(kind));
        task.put(option, goodValue(declared));
        List<Object> playbook = List.of(Map.of("hosts", "all", "tasks", List.of(task)));

        List<String> schemaErrors = new MiniJsonSchema(schema()).validate(playbook);
        List<String> parserErrors = parserErrors(playbook, tmp).stream().filter(m -> m.contains("'" + option + "' applies to")).toList();
        if (declared.takenBy(kind)) {
            assertThat(schemaErrors).isEmpty();
            assertThat(parserErrors).isEmpty();
        } else {
            assertThat(schemaErrors).isNotEmpty();
            assertThat(parserErrors).singleElement().asString()
                    .endsWith("'" + option + "' applies to " + declared.kindsInWords() + " tasks only, not to " + kind);
        }
    }

    @Test
    void aPlayMayGiveEveryTaskOptionAsADefault(@TempDir Path tmp) throws IOException {
        for (KindOptions.Declared o : KindOptions.registered().all()) {
            List<Object> playbook = List.of(Map.of("hosts", "all", o.name(), goodValue(o),
                    "tasks", List.of(Map.of("name", "t", o.kinds().get(0), example(o.kinds().get(0))))));
            assertThat(new MiniJsonSchema(schema()).validate(playbook)).as(o.name()).isEmpty();
            assertThat(parserErrors(playbook, tmp)).as(o.name()).noneMatch(m -> m.contains("'" + o.name() + "'"));
        }
    }

    @Test
    void aTaskOptionsValueMustBeOneTheOptionAllows(@TempDir Path tmp) throws IOException {
        for (KindOptions.Declared o : KindOptions.registered().all()) {
            String kind = o.kinds().get(0);
            Object bad = o.option().isBoolean() ? "maybe" : "sometimes";
            List<Object> playbook = List.of(Map.of("hosts", "all", o.name(), bad,
                    "tasks", List.of(Map.of("name", "t", kind, example(kind), o.name(), bad))));
            assertThat(new MiniJsonSchema(schema()).validate(playbook)).as(o.name()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(parserErrors(playbook, tmp).stream().filter(m -> m.contains("'" + o.name() + "' must be")))
                    .as(o.name()).hasSize(2);
        }
    }

    /** Every example the schema shows editors passes the part of the schema it illustrates. */
    @Test
    void everyExampleFitsItsOwnSchema() throws IOException {
        JsonNode schema = schema();
        List<String> wrong = new ArrayList<>();
        int[] seen = {0};
        examples(schema, "$", new MiniJsonSchema(schema), wrong, seen);
        assertThat(seen[0]).as("examples found").isGreaterThan(20);
        assertThat(wrong).isEmpty();
    }

    private static void examples(JsonNode node, String path, MiniJsonSchema checker, List<String> wrong, int[] seen) {
        if (!node.isObject()) return;
        if (node.has("examples")) {
            ObjectNode bare = ((ObjectNode) node).deepCopy();
            bare.remove("examples");
            for (JsonNode example : node.get("examples")) {
                seen[0]++;
                for (String problem : checker.validate(bare, JSON.convertValue(example, Object.class)))
                    wrong.add(path + " example " + example + ": " + problem);
            }
        }
        for (String k : List.of("definitions", "properties")) {
            if (node.has(k)) node.get(k).properties().forEach(e -> examples(e.getValue(), path + "." + e.getKey(), checker, wrong, seen));
        }
        for (String k : List.of("additionalProperties", "propertyNames", "items")) {
            if (node.has(k)) examples(node.get(k), path + "." + k, checker, wrong, seen);
        }
        for (String k : List.of("anyOf", "oneOf")) {
            if (node.has(k)) for (int i = 0; i < node.get(k).size(); i++) examples(node.get(k).get(i), path + "." + k + "[" + i + "]", checker, wrong, seen);
        }
    }

    /** The first example of a kind's value in the schema: a value its tasks may hold. */
    private static Object example(String kind) throws IOException {
        JsonNode examples = def(kind).get("examples");
        assertThat(examples).as("the schema of %s shows an example", kind).isNotNull().isNotEmpty();
        return JSON.convertValue(examples.get(0), Object.class);
    }

    private static Object goodValue(KindOptions.Declared o) {
        return o.option().isBoolean() ? Boolean.TRUE : o.option().choices().get(0);
    }

    /** What the parser says of a playbook (written as JSON, which is YAML too). */
    private static List<String> parserErrors(Object playbook, Path dir) throws IOException {
        Path file = Files.createTempFile(dir, "playbook", ".yml");
        Files.writeString(file, JSON.writeValueAsString(playbook));
        Diagnostics diags = new Diagnostics();
        PlaybookParser.parse(file, diags);
        return diags.all().stream().filter(Problem::isError).map(Problem::toString).toList();
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
                  max_fail_percentage: "25%"
                  any_errors_fatal: false
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
