package dev.tuner.settings.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The schema fragment editors get and the kind's own checks accept the same paths and values. */
class SysfsSchemaFragmentTest {
    private static JsonNode fragment() throws Exception {
        return new ObjectMapper().readTree(new SysfsKind().schemaFragment());
    }

    @Test
    void pathsTheSchemaAcceptsAreThePathsTheKindAccepts() throws Exception {
        JsonNode names = fragment().get("propertyNames").get("anyOf");
        Pattern path = Pattern.compile(names.get(0).get("pattern").asText());
        assertThat(names.get(1).get("$ref").asText()).isEqualTo("#/definitions/templated");
        for (String key : List.of("kernel/mm/transparent_hugepage/enabled", "block/sd*/queue/scheduler", "block/sd?/queue/read_ahead_kb",
                "bus/pci/devices/0000:00:1f.2/power/control", "module/zswap/parameters/enabled", "a", "..a/b", "a/b..",
                "/sys/kernel/mm/transparent_hugepage/enabled", "/etc/shadow", "block/../../etc/shadow", "..", ".", "./a", "a/.", "a/./b",
                "block//sda", "block/sda/", "block/sd[ab]", "block/sda; reboot", "block/$(id)", "block/sda queue", "kernel/%h", ""))
            assertThat(path.matcher(key).find()).as(key).isEqualTo(SysfsPath.syntaxError(key) == null);
    }

    @Test
    void valuesTheSchemaAcceptsAreTheValuesTheKindAccepts() throws Exception {
        JsonNode forms = fragment().get("additionalProperties").get("anyOf");
        Pattern text = Pattern.compile(forms.get(0).get("pattern").asText());
        assertThat(forms.get(1).get("type").asText()).isEqualTo("number");
        for (String v : List.of("madvise", "write back", " 4096 ", "50%", "", "  ", "a\nb", "a\rb"))
            assertThat(text.matcher(v).find()).as("'%s'", v).isEqualTo(accepted(v));
    }

    private static boolean accepted(String v) {
        try {
            SysfsValue.fromYaml(v);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
