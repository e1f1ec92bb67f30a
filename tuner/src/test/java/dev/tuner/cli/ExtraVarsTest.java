package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuner.diag.InputException;
import dev.tuner.diag.Problem;
import dev.tuner.testing.Repo;
import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -e/--extra-vars in Ansible's forms: k=v words, a JSON (or YAML flow) mapping, @file. */
class ExtraVarsTest {
    private static Map<String, Object> parse(String... args) {
        return ExtraVars.parse(List.of(args));
    }

    /** What the user sees for a refused -e: the problems as the CLI prints them. */
    private static String refusal(String... args) {
        try {
            parse(args);
        } catch (InputException e) {
            return String.join("\n", e.problems().stream().map(Problem::toString).toList());
        }
        throw new AssertionError("-e " + String.join(" -e ", args) + " was accepted");
    }

    @Test
    void keyValueWordsWithShellQuoting() {
        // k=v values are typed like plain YAML scalars, so a number can feed a key that must be a number.
        assertThat(parse("swappiness=10 profile=db live=true")).containsExactly(Map.entry("swappiness", 10L), Map.entry("profile", "db"),
                Map.entry("live", true));
        assertThat(parse("rmem='4096 87380 6291456' name=0x1z")).containsEntry("rmem", "4096 87380 6291456").containsEntry("name", "0x1z");
        assertThat(parse("motto=\"fast and safe\" path='/a b/c' esc=a\\ b")).containsExactly(
                Map.entry("motto", "fast and safe"), Map.entry("path", "/a b/c"), Map.entry("esc", "a b"));
        // As in Ansible, the value is everything after the first '='.
        assertThat(parse("opts=a=b,c=d")).containsExactly(Map.entry("opts", "a=b,c=d"));
        assertThat(parse("empty=")).containsExactly(Map.entry("empty", ""));
    }

    @Test
    void jsonKeepsTypes() {
        Map<String, Object> v = parse("{\"swappiness\": 10, \"turbo\": false, \"cpus\": [0, 1], \"nested\": {\"a\": \"x\"}}");
        assertThat(((Number) v.get("swappiness")).intValue()).isEqualTo(10);
        assertThat(v.get("turbo")).isEqualTo(false);
        assertThat(v.get("cpus")).isEqualTo(List.of(0L, 1L));
        assertThat(v.get("nested")).isEqualTo(Map.of("a", "x"));
        assertThat(parse("{swappiness: 5}")).as("a YAML flow mapping works too").containsEntry("swappiness", 5L);
    }

    @Test
    void atFileReadsAYamlOrJsonMapping(@TempDir Path tmp) throws Exception {
        Path yml = tmp.resolve("vars.yml");
        Files.writeString(yml, "swappiness: 1\nprofile: web\n");
        Path json = tmp.resolve("vars.json");
        Files.writeString(json, "{\"profile\": \"db\"}");
        assertThat(parse("@" + yml)).containsEntry("swappiness", 1L).containsEntry("profile", "web");
        // Several -e merge, the later winning, as in Ansible.
        assertThat(parse("@" + yml, "@" + json, "swappiness=7")).containsEntry("profile", "db").containsEntry("swappiness", 7L);
    }

    @Test
    void badFormsAreRefusedWithAReason(@TempDir Path tmp) throws Exception {
        assertThat(refusal("swappiness")).isEqualTo("-e: expected key=value, a JSON mapping or @file, got 'swappiness'");
        assertThat(refusal("=10")).isEqualTo("-e: expected key=value, a JSON mapping or @file, got '=10'");
        assertThat(refusal("1st=10")).isEqualTo("-e: invalid variable name '1st'");
        assertThat(refusal("my-var=1")).isEqualTo("-e: invalid variable name 'my-var'");
        assertThat(refusal("motto=\"fast and")).startsWith("-e: unclosed quote");
        assertThat(refusal("{\"a\": 1")).startsWith("-e:1:").contains("YAML syntax error");
        assertThat(refusal("@" + tmp.resolve("missing.yml"))).contains("extra vars file not found: " + tmp.resolve("missing.yml"));

        Path list = tmp.resolve("list.yml");
        Files.writeString(list, "- a\n- b\n");
        assertThat(refusal("@" + list)).isEqualTo(list + ":1:1: extra vars must be a mapping, got a list");
        Path dup = tmp.resolve("dup.yml");
        Files.writeString(dup, "a: 1\na: 2\n");
        assertThat(refusal("@" + dup)).isEqualTo(dup + ":2:1: duplicate key 'a' (first defined at line 1)");
    }

    @Test
    void badExtraVarsStopARunBeforeAnyHostIsContacted() {
        Path playbook = Repo.root().resolve("playbooks/db-host.yml");
        Path unreachable = Repo.resource("playbook/unreachable-inventory.yml");
        TunerCli.Result r = TunerCli.run("plan", playbook.toString(), "-i", unreachable.toString(), "-e", "swappiness");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains("-e: expected key=value, a JSON mapping or @file, got 'swappiness'");
        assertThat(r.err()).doesNotContain("unreachable", "203.0.113");
        assertThat(r.took()).as("a connection to TEST-NET would wait for its timeout").isLessThan(java.time.Duration.ofSeconds(5));
    }
}
