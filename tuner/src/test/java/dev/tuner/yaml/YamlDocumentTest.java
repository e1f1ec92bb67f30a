package dev.tuner.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Location;
import dev.tuner.diag.Problem;
import dev.tuner.testing.Peers;
import dev.tuner.testing.TunerCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * YAML as users see it in messages: positions (1-based line:column, found in the text by the test),
 * scalars resolved as Ansible resolves them (PyYAML, YAML 1.1: the reference for playbooks written
 * for Ansible), and the type names errors use.
 */
class YamlDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path tmp;

    // ------------------------------------------------------------------ positions

    @Test
    void everyKeyAndValueIsAtTheLineAndColumnAnEditorShows() {
        String text = """
                # leading comment
                - name: plays
                  hosts: "web:&prod"
                  vars: {élan: 1, flow_key: [fa, fb]}
                  tasks:
                    -   name: indented
                        sysctl:
                          vm.swappiness:    10
                    - {name: inline, governor: performance}
                """;
        for (String eol : List.of("\n", "\r\n")) {
            for (String bom : List.of("", "\uFEFF")) {
                String doc = bom + text.replace("\n", eol);
                YamlDocument yaml = parse(doc);
                Map<String, Node> nodes = new LinkedHashMap<>();
                collect(yaml.root().orElseThrow(), nodes);
                for (String token : List.of("name", "hosts", "\"web:&prod\"", "vars", "élan", "flow_key", "fb", "tasks", "indented",
                        "vm.swappiness", "10", "inline", "governor", "performance")) {
                    assertThat(nodes).as("a node %s", token).containsKey(token);
                    assertThat(yaml.at(nodes.get(token))).as("%s with %s line ends%s", token, eol.length() == 1 ? "LF" : "CRLF",
                            bom.isEmpty() ? "" : " and a BOM").isEqualTo(where(doc, token));
                }
            }
        }
    }

    @Test
    void syntaxErrorsPointAtTheOffendingCharacter() {
        assertThat(problems("a: b: c\n")).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(new Location("f.yml", 1, 5));
            assertThat(p.message()).startsWith("YAML syntax error: ").contains("mapping values are not allowed here");
        });
        assertThat(problems("a:\n\tb: 1\n")).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(new Location("f.yml", 2, 1));
            assertThat(p.message()).contains("TAB");
        });
        assertThat(problems("- one\n- two\n---\n- three\n")).singleElement().satisfies(p -> {
            assertThat(p.location()).as("the second document").isEqualTo(new Location("f.yml", 4, 1));
            assertThat(p.message()).isEqualTo("only one YAML document per file is supported");
        });
    }

    @Test
    void aDuplicateKeyIsReportedWhereItIsRepeatedNamingTheFirst() {
        String doc = "vars:\n  a: 1\n  b: 2\n  a: 3\nother:\n  a: 1\n";
        Diagnostics diags = new Diagnostics();
        YamlDocument.parse(doc, "f.yml", diags);
        assertThat(diags.all()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(new Location("f.yml", 4, 3));
            assertThat(p.message()).isEqualTo("duplicate key 'a' (first defined at line 2)");
        });
    }

    // ------------------------------------------------------------------ aliases: merge keys welcome, expansion bounded

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed target
    void aBillionLaughsDocumentIsRefusedBeforeItIsExpanded() {
        StringBuilder doc = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            doc.append("l").append(i).append(": &l").append(i).append(" [");
            for (int k = 0; k < 10; k++) doc.append(k == 0 ? "" : ", ").append("*l").append(i - 1);
            doc.append("]\n");
        }
        List<Problem> problems = problems(doc.toString());
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.isError()).isTrue();
            assertThat(p.location()).isEqualTo(new Location("f.yml", 1, 1));
            assertThat(p.message()).contains("more than 2000000 values once its aliases are expanded");
        });
    }

    @Test
    void aDocumentThatHoldsItselfIsRefused() {
        assertThat(problems("a: &a [1, *a]\n")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("contains itself through an alias"));
    }

    @Test
    void hundredsOfMergeKeysAreRead() {
        StringBuilder doc = new StringBuilder("defaults: &d {a: 1, b: 2}\nhosts:\n");
        for (int i = 0; i < 300; i++) doc.append("  h").append(i).append(": {<<: *d, b: ").append(i).append("}\n");
        YamlDocument yaml = parse(doc.toString());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> hosts = (Map<String, Map<String, Object>>)
                ((Map<String, Object>) YamlDocument.toJava(yaml.root().orElseThrow())).get("hosts");
        assertThat(hosts).hasSize(300);
        assertThat(hosts.get("h299")).containsEntry("a", 1L).containsEntry("b", 299L);
    }

    @Test
    void mergeKeysWorkInPlaysAndTaskValuesAsInVarsFiles() throws Exception {
        Path pb = tmp.resolve("merge.yml");
        Files.writeString(pb, """
                - hosts: all
                  vars:
                    <<: {base_swappiness: 10}
                    extra: 1
                  tasks:
                    - name: memory
                      sysctl:
                        <<: &memory {vm.swappiness: 10, vm.dirty_ratio: 20}
                        vm.dirty_ratio: 15
                """);
        TunerCli.Result r = TunerCli.run("validate", pb.toString());
        assertThat(r.exitCode()).as(r.screen()).isZero();
        YamlDocument doc = YamlDocument.load(pb, "merge.yml", new Diagnostics());
        Object sysctl = ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) YamlDocument.toJava(doc.root().orElseThrow())).get(0)).get("tasks")).get(0)).get("sysctl");
        assertThat(sysctl).isEqualTo(Map.of("vm.swappiness", 10L, "vm.dirty_ratio", 15L));
    }

    @Test
    void aMergeOfSomethingElseThanAMappingIsNamed() {
        assertThat(problems("base: &b five\nx: {<<: *b}\n")).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(new Location("f.yml", 1, 7));
            assertThat(p.message()).isEqualTo("a merge key '<<' takes a mapping or a list of mappings (such as *defaults), got a string");
        });
    }

    @Test
    void anEmptyFileHasNoRootAndNoProblem() {
        Diagnostics diags = new Diagnostics();
        assertThat(YamlDocument.parse("# nothing yet\n", "f.yml", diags).root()).isEmpty();
        assertThat(diags.all()).isEmpty();
    }

    // ------------------------------------------------------------------ scalars, as Ansible reads them

    @Test
    void scalarsResolveAsAnsibleResolvesThem() throws Exception {
        List<String> spellings = List.of("true", "True", "TRUE", "yes", "Yes", "no", "NO", "on", "Off", "false", "y", "n",
                "~", "null", "Null", "", "0", "7", "-7", "+12", "010", "0o17", "08", "0x1F", "-0x10", "0b101", "1_000", "1:30",
                "3.5", "-0.5", "1.5e3", "1.5e+3", "1.0e-2", "1e3", "1:30.5", ".5", "6.", "1_000.5", ".inf", "-.Inf", ".nan", "'yes'", "\"010\"", "10%", "0-7", "4096 87380 6291456");
        StringBuilder doc = new StringBuilder();
        for (int i = 0; i < spellings.size(); i++) doc.append("k").append(i).append(": ").append(spellings.get(i)).append('\n');
        JsonNode ansible = pyYaml(doc.toString());
        Map<String, Object> ours = new LinkedHashMap<>();
        MappingNode root = (MappingNode) parse(doc.toString()).root().orElseThrow();
        for (NodeTuple t : root.getValue()) ours.put(((ScalarNode) t.getKeyNode()).getValue(), YamlDocument.scalar((ScalarNode) t.getValueNode()));

        List<String> differences = new ArrayList<>();
        for (int i = 0; i < spellings.size(); i++) {
            JsonNode theirs = ansible.get("k" + i);
            String theirType = theirs.get("type").asText();
            Object mine = ours.get("k" + i);
            String myType = mine == null ? "NoneType" : mine instanceof Boolean ? "bool" : mine instanceof Long ? "int"
                    : mine instanceof Double ? "float" : mine instanceof String ? "str" : mine.getClass().getSimpleName();
            String myValue = mine == null ? "None" : mine instanceof Boolean b ? (b ? "True" : "False")
                    : mine instanceof Double d ? pyFloat(d) : String.valueOf(mine);
            String theirValue = theirs.get("repr").asText();
            if (!myType.equals(theirType) || !myValue.equals(theirValue)) {
                differences.add(spellings.get(i) + ": Ansible " + theirType + " " + theirValue + ", tuner " + myType + " " + myValue);
            }
        }
        assertThat(differences).isEmpty();
    }

    // ------------------------------------------------------------------ type names in messages

    @Test
    void typeNamesAreTheOnesUsersKnowFromYaml() {
        String doc = """
                map: {a: 1}
                list: [1]
                block_list:
                  - 1
                string: hello
                quoted_number: "10"
                quoted_bool: 'yes'
                number: 10
                octal: 010
                float: 2.5
                bool: yes
                bool2: false
                tilde: ~
                empty:
                """;
        Map<String, String> types = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) parse(doc).root().orElseThrow()).getValue())
            types.put(((ScalarNode) t.getKeyNode()).getValue(), YamlDocument.typeName(t.getValueNode()));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("map", "mapping");
        expected.put("list", "list");
        expected.put("block_list", "list");
        expected.put("string", "string");
        expected.put("quoted_number", "string");
        expected.put("quoted_bool", "string");
        expected.put("number", "number");
        expected.put("octal", "number");
        expected.put("float", "number");
        expected.put("bool", "boolean");
        expected.put("bool2", "boolean");
        expected.put("tilde", "null");
        expected.put("empty", "null");
        assertThat(types).containsExactlyEntriesOf(expected);
    }

    @Test
    void validateNamesTheTypeAndThePlaceOfAWrongValue() throws Exception {
        Path playbook = tmp.resolve("types.yml");
        Files.writeString(playbook, """
                - name: Wrong types
                  hosts: all
                  tasks:
                    - name: a boolean where a mapping belongs
                      sysctl: yes
                    - name: a list where a mapping belongs
                      sysctl: [vm.swappiness, 10]
                """);
        TunerCli.Result r = TunerCli.run("validate", playbook.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        String file = TunerCli.displayed(playbook);
        assertThat(r.err() + r.out()).contains(
                file + ":5:15: sysctl: expected a mapping of key: value, got a boolean",
                file + ":7:15: sysctl: expected a mapping of key: value, got a list");
    }

    // ------------------------------------------------------------------ helpers

    private static YamlDocument parse(String text) {
        Diagnostics diags = new Diagnostics();
        YamlDocument doc = YamlDocument.parse(text, "f.yml", diags);
        assertThat(diags.all()).as("problems parsing\n%s", text).isEmpty();
        return doc;
    }

    private static List<Problem> problems(String text) {
        Diagnostics diags = new Diagnostics();
        YamlDocument.parse(text, "f.yml", diags);
        return diags.all();
    }

    /** Every scalar of a tree by its text (the tests' tokens are unique), quoted scalars with their quotes. */
    private static void collect(Node node, Map<String, Node> out) {
        if (node instanceof ScalarNode s) {
            String key = switch (s.getScalarStyle()) {
                case DOUBLE_QUOTED -> "\"" + s.getValue() + "\"";
                case SINGLE_QUOTED -> "'" + s.getValue() + "'";
                default -> s.getValue();
            };
            out.putIfAbsent(key, s);
        } else if (node instanceof SequenceNode seq) {
            seq.getValue().forEach(n -> collect(n, out));
        } else if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                collect(t.getKeyNode(), out);
                collect(t.getValueNode(), out);
            }
        }
    }

    /** Line and column (1-based, in characters, a BOM not counted) of the first occurrence of a token as a whole word. */
    private static Location where(String doc, String token) {
        String text = doc.startsWith("\uFEFF") ? doc.substring(1) : doc;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<![\\w.\"])" + java.util.regex.Pattern.quote(token) + "(?![\\w.])")
                    .matcher(lines[i]);
            if (m.find()) return new Location("f.yml", i + 1, lines[i].codePointCount(0, m.start()) + 1);
        }
        throw new AssertionError(token + " not in\n" + doc);
    }

    /** Python's repr of a float, the form PyYAML's values are compared in. */
    private static String pyFloat(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        return d == Math.rint(d) && Math.abs(d) < 1e16 ? String.format("%.1f", d) : Double.toString(d);
    }

    /** PyYAML's safe_load of a mapping: per key, the Python type name and repr of the value (str without quotes). */
    private static JsonNode pyYaml(String doc) throws Exception {
        boolean available = Files.isExecutable(PYTHON)
                && new ProcessBuilder(PYTHON.toString(), "-c", "import yaml").start().waitFor() == 0;
        Peers.require("PyYAML", available ? null : "python3-yaml is not installed for /usr/bin/python3 (apt-get install -y python3-yaml)");
        Path script = Files.createTempFile("pyyaml", ".py");
        Files.writeString(script, """
                import json, sys, yaml
                data = yaml.safe_load(sys.stdin.read())
                print(json.dumps({k: {"type": type(v).__name__, "repr": v if isinstance(v, str) else repr(v)} for k, v in data.items()}))
                """);
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), script.toString()).redirectErrorStream(true).start();
            p.getOutputStream().write(doc.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            return JSON.readTree(out);
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
