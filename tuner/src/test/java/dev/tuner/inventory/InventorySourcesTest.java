package dev.tuner.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuner.diag.InputException;
import dev.tuner.diag.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How -i NAME finds an inventory, and how several merge. */
class InventorySourcesTest {
    @TempDir
    Path base;

    private Path write(String relative, String text) throws IOException {
        Path p = base.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static List<String> names(Inventory inv) {
        return inv.hosts().stream().map(Host::name).toList();
    }

    @Test
    void anExistingPathWinsOverTheInventoriesDirectory() throws IOException {
        write("prod", "[web]\nfrom-path\n");
        write("inventories/prod.yml", "all:\n  hosts:\n    from-inventories:\n");
        assertThat(names(Inventory.load(List.of("prod"), base))).containsExactly("from-path");
    }

    @Test
    void aNameFindsInventoriesNameYmlThenYamlThenIni() throws IOException {
        write("inventories/lab.yaml", "all:\n  hosts:\n    from-yaml:\n");
        write("inventories/lab.ini", "from-ini\n");
        assertThat(names(Inventory.load(List.of("lab"), base))).containsExactly("from-yaml");
        write("inventories/lab.yml", "all:\n  hosts:\n    from-yml:\n");
        assertThat(names(Inventory.load(List.of("lab"), base))).containsExactly("from-yml");
    }

    @Test
    void aNameFindsADirectoryUnderInventoriesWithItsGroupVars() throws IOException {
        write("inventories/staging/hosts", "[web]\nweb1\n");
        write("inventories/staging/group_vars/web.yml", "http_port: 8080\n");
        Inventory inv = Inventory.load(List.of("staging"), base);
        assertThat(inv.host("web1").orElseThrow().vars()).containsEntry("http_port", 8080L);
        assertThat(inv.baseDir()).isEqualTo(base.resolve("inventories/staging").toAbsolutePath().normalize());
    }

    @Test
    void aNameThatResolvesToNothingListsWhatWasTried() {
        assertThatThrownBy(() -> Inventory.load(List.of("nowhere"), base))
                .isInstanceOf(InputException.class)
                .hasMessage("-i nowhere: inventory 'nowhere' not found; tried nowhere, inventories/nowhere.yml,"
                        + " inventories/nowhere.yaml, inventories/nowhere.ini, inventories/nowhere");
    }

    @Test
    void aMisspelledNameGetsASuggestion() throws IOException {
        write("inventories/production.yml", "all:\n  hosts:\n    h:\n");
        assertThatThrownBy(() -> Inventory.load(List.of("prodution"), base)).hasMessageContaining("(did you mean 'production'?)");
    }

    @Test
    void aDirectoryWithOnlyAnIniFileIsExplainedBecauseAnsibleSkipsIniFilesThere() throws IOException {
        write("inv/hosts.ini", "web1\n");
        assertThatThrownBy(() -> Inventory.load(List.of("inv"), base))
                .hasMessageContaining("inv: inventory directory holds no inventory file")
                .hasMessageContaining("*.ini");
    }

    @Test
    void severalInventoriesMergeHostsGroupsAndVarsWithTheLaterWinning() throws IOException {
        write("a.ini", "[web]\nweb1 color=red size=1\n[db]\ndb1\n");
        write("b.yml", "all:\n  children:\n    web:\n      hosts:\n        web1:\n          color: blue\n        web2:\n");
        Inventory inv = Inventory.load(List.of("a.ini", "b.yml"), base);
        assertThat(names(inv)).containsExactly("web1", "db1", "web2");
        assertThat(inv.group("web").orElseThrow().hosts()).containsExactly("web1", "web2");
        assertThat(inv.host("web1").orElseThrow().vars()).containsEntry("color", "blue").containsEntry("size", 1L);
        assertThat(inv.sources()).containsExactly(base.resolve("a.ini"), base.resolve("b.yml"));
    }

    @Test
    void anInlineHostListWorksAsInAnsible() {
        Inventory inv = Inventory.load(List.of("web1,web2:2222,"), base);
        assertThat(names(inv)).containsExactly("web1", "web2");
        assertThat(inv.group("ungrouped").orElseThrow().hosts()).containsExactly("web1", "web2");
        assertThat(inv.host("web2").orElseThrow().connection().port()).isEqualTo(2222);
    }

    @Test
    void fromFileLoadsOneFile() throws IOException {
        Path f = write("x/hosts.yml", "all:\n  hosts:\n    h1:\n");
        Inventory inv = Inventory.fromFile(f);
        assertThat(names(inv)).containsExactly("h1");
        assertThat(inv.baseDir()).isEqualTo(f.getParent().toAbsolutePath().normalize());
    }

    @Test
    void aFileWithoutExtensionIsReadAsYamlWhenItIsAYamlMapping() throws IOException {
        write("yamlish", "all:\n  hosts:\n    y1:\n");
        write("iniish", "i1 x=1\n");
        assertThat(names(Inventory.load(List.of("yamlish", "iniish"), base))).containsExactly("y1", "i1");
    }

    @Test
    void warningsDoNotStopLoadingButAreKept() throws IOException {
        write("w.ini", "[web-servers]\nweb\n[web]\nweb1 my-var=1\n");
        Inventory inv = Inventory.load(List.of("w.ini"), base);
        assertThat(inv.warnings()).extracting(Problem::toString).containsExactly(
                "w.ini:1:1: warning: group name 'web-servers' has characters Ansible calls invalid in group names"
                        + " (use letters, digits and '_'; 'web_servers' would do)",
                "w.ini:2:1: warning: 'web' is both a host and a group (group declared at w.ini:3:1); patterns naming it select the host only",
                "w.ini:4:6: warning: variable name 'my-var' is not a valid identifier (letters, digits and '_', not starting"
                        + " with a digit); playbooks cannot refer to it");
        assertThat(inv.select("web")).extracting(Host::name).containsExactly("web");
    }
}
