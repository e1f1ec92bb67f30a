package dev.tuner.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {{ expr }} in playbook strings: what a playbook author writes and what the task then receives. */
class TemplaterTest {
    private final Templater t = new Templater();

    private static Map<String, Object> vars() {
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("total_mb", 16384);
        Map<String, Object> virt = new LinkedHashMap<>();
        virt.put("role", "host");
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("memory", memory);
        facts.put("virtualization", virt);
        facts.put("cpu_count", 8);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("facts", facts);
        v.put("swappiness", 10);
        v.put("profile", "database");
        v.put("turbo", false);
        v.put("governors", List.of("performance", "powersave"));
        return v;
    }

    // ---------------------------------------------------------------- whole expressions and splicing

    @Test
    void aStringThatIsOneExpressionKeepsTheExpressionsType() {
        // A sysctl value "{{ swappiness }}" must reach the kind as the number 10, not the text "10".
        assertThat(t.render("{{ swappiness }}", vars())).isInstanceOf(Number.class)
                .satisfies(n -> assertThat(((Number) n).intValue()).isEqualTo(10));
        assertThat(t.render("  {{ swappiness * 2 }} ", vars())).satisfies(n -> assertThat(((Number) n).intValue()).isEqualTo(20));
        assertThat(t.render("{{ turbo }}", vars())).isEqualTo(false);
        assertThat(t.render("{{ governors }}", vars())).isEqualTo(List.of("performance", "powersave"));
        assertThat(t.render("{{ facts.memory }}", vars())).isEqualTo(Map.of("total_mb", 16384));
    }

    @Test
    void expressionsInsideTextAreSplicedAsText() {
        assertThat(t.render("4096 65536 {{ 128 * 1024 * 1024 }}", vars())).isEqualTo("4096 65536 134217728");
        // Two expressions with text between them are two expressions, not one from the first {{ to the last }}.
        assertThat(t.render("{{ profile }}-{{ swappiness }}", vars())).isEqualTo("database-10");
        assertThat(t.render("{{ swappiness }}{{ swappiness }}", vars())).isEqualTo("1010");
        assertThat(t.render("ratio {{ 3 / 2 }}", vars())).isEqualTo("ratio 1.5");
        assertThat(t.render("{{ profile?upper_case }} on {{ facts.cpu_count }} CPUs", vars())).isEqualTo("DATABASE on 8 CPUs");
    }

    @Test
    void largeNumbersAreNotGroupedOrLocalised() {
        // "134,217,728" in a sysctl value would be refused by the kernel.
        assertThat(t.render("{{ 134217728 }} ", vars()).toString().trim()).isEqualTo("134217728");
        assertThat(t.render("x{{ 1000000 * 1000 }}", vars())).isEqualTo("x1000000000");
    }

    @Test
    void divisionGivesPlainNumbersAKernelAccepts() {
        // FreeMarker divides in BigDecimal with 12 decimals; "60.000000000000" would be refused by /proc/sys.
        assertThat(t.render("{{ 120 / 2 }}", vars())).isEqualTo(60L);
        assertThat(t.render("4096 {{ 131072 / 2 }} 6291456", vars())).isEqualTo("4096 65536 6291456");
        assertThat(t.render("{{ 1 / 4 }}", vars()).toString()).isEqualTo("0.25");
        assertThat(t.render("{{ 2.50 * 2 }}", vars())).isEqualTo(5L);
    }

    @Test
    void plainStringsAreReturnedUnchanged() {
        assertThat(t.render("performance", vars())).isEqualTo("performance");
        assertThat(t.render("braces { } alone", vars())).isEqualTo("braces { } alone");
    }

    @Test
    void renderDeepResolvesEveryStringInMapsAndLists() {
        Object spec = Map.of("vm.swappiness", "{{ swappiness }}", "list", List.of("{{ profile }}", 5));
        assertThat(t.renderDeep(spec, vars())).isEqualTo(Map.of("vm.swappiness", 10, "list", List.of("database", 5)));
    }

    // ---------------------------------------------------------------- errors a user can act on

    @Test
    void anUndefinedVariableIsNamed() {
        assertThatThrownBy(() -> t.render("{{ swapiness + 1 }}", vars()))
                .isInstanceOf(Templater.TemplateError.class)
                .hasMessage("undefined variable in 'swapiness + 1': 'swapiness' is not defined");
        // The name as the user wrote it, not as the expression is wrapped internally.
        assertThatThrownBy(() -> t.render("size {{ facts.memory.free_mb }} MB", vars()))
                .hasMessage("undefined variable in 'facts.memory.free_mb': 'facts.memory.free_mb' is not defined");
        assertThatThrownBy(() -> t.render("{{ nope }}", vars())).hasMessage("undefined variable in 'nope': 'nope' is not defined");
    }

    @Test
    void syntaxErrorsAndEmptyOrUnclosedExpressionsAreErrors() {
        assertThatThrownBy(() -> t.render("{{ swappiness + }}", vars())).isInstanceOf(Templater.TemplateError.class)
                .hasMessageStartingWith("cannot parse expression 'swappiness +'");
        assertThatThrownBy(() -> t.render("{{  }}", vars())).hasMessage("empty expression '{{ }}'");
        assertThatThrownBy(() -> t.render("a {{ profile }} b {{ oops", vars())).hasMessageContaining("unclosed '{{'");
    }

    // ---------------------------------------------------------------- Ansible words

    @Test
    void andOrNotAreTranslatedOutsideQuotesOnly() {
        assertThat(Templater.ansibleWords("a and b or not c")).isEqualTo("a && b || ! c");
        assertThat(Templater.ansibleWords("name == \"rock and roll\" or x == 'not or and'"))
                .isEqualTo("name == \"rock and roll\" || x == 'not or and'");
        // Words that only contain the keywords, and dotted keys, are identifiers.
        assertThat(Templater.ansibleWords("android or brand.not or facts.and_more")).isEqualTo("android || brand.not || facts.and_more");
        assertThat(Templater.ansibleWords("x == \"say \\\"and\\\" now\" and y")).isEqualTo("x == \"say \\\"and\\\" now\" && y");
        assertThat(Templater.ansibleWords("True or False")).isEqualTo("true || false");
    }

    @Test
    void conditionsUseAnsibleWordsWithQuotedTextLeftAlone() {
        Map<String, Object> v = vars();
        v.put("motto", "fast and safe");
        assertThat(t.condition("motto == \"fast and safe\" and not turbo", v)).isTrue();
        assertThat(t.condition("motto == 'fast or safe' or swappiness > 50", v)).isFalse();
        assertThat(t.condition("{{ swappiness == 10 }}", v)).isTrue();
    }

    @Test
    void conditionsReadNestedFacts() {
        assertThat(t.condition("facts.memory.total_mb > 8192 and facts.virtualization.role != \"container\"", vars())).isTrue();
        assertThat(t.condition("facts.memory.total_mb > 32768", vars())).isFalse();
        assertThat(t.condition("facts.cpu_count >= 8", vars())).isTrue();
    }

    @Test
    void aConditionMustGiveABoolean() {
        assertThatThrownBy(() -> t.condition("swappiness + 1", vars())).isInstanceOf(Templater.TemplateError.class)
                .hasMessage("condition 'swappiness + 1' gave '11', not true or false");
        assertThatThrownBy(() -> t.condition("profile", vars())).hasMessage("condition 'profile' gave 'database', not true or false");
    }

    // ---------------------------------------------------------------- defaults

    @Test
    void theDefaultOperatorFillsInOnlyWhenUndefined() {
        assertThat(t.render("{{ dirty_ratio!\"20\" }}", vars())).isEqualTo("20");
        assertThat(t.render("{{ swappiness!60 }}", vars())).satisfies(n -> assertThat(((Number) n).intValue()).isEqualTo(10));
        assertThat(t.render("{{ facts.memory.huge!0 }}", vars())).satisfies(n -> assertThat(((Number) n).intValue()).isZero());
        assertThat(t.condition("(facts.disk.rotational)!false", vars())).isFalse();
    }

    // ---------------------------------------------------------------- no way out to Java

    @Test
    void expressionsCannotInstantiateJavaClasses(@TempDir Path tmp) {
        Path marker = tmp.resolve("executed");
        String expr = "{{ \"freemarker.template.utility.Execute\"?new()(\"touch " + marker + "\") }}";
        assertThatThrownBy(() -> t.render(expr, vars())).isInstanceOf(Templater.TemplateError.class)
                .hasMessageContaining("cannot evaluate");
        assertThat(Files.exists(marker)).as("the shell command ran").isFalse();
        assertThatThrownBy(() -> t.render("{{ \"freemarker.template.utility.ObjectConstructor\"?new()(\"java.io.File\", \"/\") }}", vars()))
                .isInstanceOf(Templater.TemplateError.class);
    }

    @Test
    void expressionsCannotReachTheJavaApiOfValues() {
        assertThatThrownBy(() -> t.render("{{ governors?api.getClass() }}", vars())).isInstanceOf(Templater.TemplateError.class);
    }

    @Test
    void wholeTemplatesRenderAndNameTheirErrorPlace() {
        assertThat(t.renderTemplate("unit.ftl", "gov=${governor}\n<#if noTurbo??>nt=${noTurbo}</#if>", Map.of("governor", "performance")))
                .isEqualTo("gov=performance\n");
        assertThatThrownBy(() -> t.renderTemplate("unit.ftl", "line1\ngov=${missing}", Map.of()))
                .isInstanceOf(Templater.TemplateError.class).hasMessageStartingWith("unit.ftl:2:");
    }
}
