package dev.tuner.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.InputException;
import dev.tuner.diag.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each file of src/test/resources/inventory/malformed is refused with the place and the reason. */
class MalformedInventoryTest {
    private static final Path DIR = AnsibleComparisonTest.resource("malformed");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            yaml-syntax.yml                | 5:1  | YAML syntax error: while parsing a flow mapping
            yaml-list-top.yml              | 1:1  | a YAML inventory is a mapping of group names (like 'all:'), got a list
            yaml-hosts-list.yml            | 3:5  | 'hosts' of group 'all' must be a mapping, got a list
            yaml-vars-list.yml             | 5:9  | 'vars' of group 'web' must be a mapping, got a list
            yaml-unknown-key.yml           | 4:7  | unknown key 'host' in group 'web': only hosts, vars and children are allowed (did you mean 'hosts'?)
            yaml-host-vars-list.yml        | 4:7  | variables of host 'web1' must be a mapping, got a list
            yaml-numeric-host.yml          | 3:5  | host name 1234 must be a string: enclose numbers in quotes
            yaml-duplicate-host.yml        | 4:5  | duplicate key 'web1' (first defined at line 3)
            yaml-range-padding.yml         | 3:7  | host range [01:5] must specify equal-length begin and end formats
            yaml-plugin.yml                | 1:1  | inventory plugin configuration ('plugin:')
            ini-section-type.ini           | 3:6  | section [web:child] has unknown type 'child'
            ini-section-space.ini          | 1:1  | invalid section header '[web servers]'
            ini-host-var.ini               | 2:6  | expected key=value host variable after host 'web1', got 'http_port'
            ini-vars-line.ini              | 4:1  | expected key=value in [web:vars], got 'http_port'
            ini-undefined-child.ini        | 5:1  | section [prod:children] includes undefined group 'db'
            ini-vars-undefined-group.ini   | 3:1  | section [db:vars] is for group 'db', which is not defined in this file
            ini-range-letters.ini          | 2:3  | host range [01:x] must be numbers (like 01:20) or single letters (like a:f)
            ini-range-backwards.ini        | 2:5  | host range [5:1] must have begin <= end
            ini-quote.ini                  | 2:11 | no closing quotation for " opened here
            ini-loop.ini                   | 8:1  | adding group 'a' as a child of 'b' creates a loop
            ini-trailing-colon.ini         | 2:1  | host 'web1:' ends in ':', which is reserved for a port
            ini-empty-var-name.ini         | 2:6  | empty variable name
            """)
    void refusedWithFileLineColumnAndReason(String file, String lineCol, String message) {
        Diagnostics diags = new Diagnostics();
        assertThat(Inventory.validate(List.of(file), DIR, diags)).isEmpty();
        List<Problem> errors = diags.all().stream().filter(Problem::isError).toList();
        assertThat(errors).isNotEmpty();
        Problem first = errors.get(0);
        assertThat(first.location().file()).isEqualTo(file);
        assertThat(first.location().line() + ":" + first.location().column()).isEqualTo(lineCol);
        assertThat(first.message()).contains(message);
    }

    @Test
    void everyFileOfTheCorpusIsCovered() throws Exception {
        try (Stream<Path> files = Files.list(DIR)) {
            assertThat(files.count()).isEqualTo(22);
        }
    }

    @Test
    void loadThrowsWithEveryProblemOfTheFile() throws Exception {
        assertThatThrownBy(() -> Inventory.load(List.of("ini-host-var.ini"), DIR))
                .isInstanceOf(InputException.class)
                .satisfies(e -> assertThat(((InputException) e).problems()).extracting(Problem::toString).containsExactly(
                        "ini-host-var.ini:2:6: expected key=value host variable after host 'web1', got 'http_port'",
                        "ini-host-var.ini:2:16: expected key=value host variable after host 'web1', got '8080'"));
    }
}
