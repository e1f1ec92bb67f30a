package dev.tuner.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.RealAnsible;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same inventories read by the real ansible-inventory and by tuner must give the same hosts,
 * groups (children and hosts, in order) and every host's merged variables.
 */
class AnsibleComparisonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @BeforeAll
    static void ansibleInstalled() {
        RealAnsible.requireInstalled();
    }

    static Path resource(String name) {
        try {
            return Path.of(AnsibleComparisonTest.class.getResource("/inventory/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private String ansibleList(Path... sources) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RealAnsible.ANSIBLE_INVENTORY.toString()));
        for (Path s : sources) cmd.addAll(List.of("-i", s.toString()));
        cmd.add("--list");
        return RealAnsible.run(home, cmd);
    }

    private static Map<String, Object> parse(String json) throws Exception {
        return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    }

    private void assertSameAsAnsible(Path... sources) throws Exception {
        String theirs = ansibleList(sources);
        Inventory ours = Inventory.load(java.util.Arrays.stream(sources).map(Path::toString).toList(), home);
        // Structure first, so a difference shows as a readable map diff ...
        assertThat(parse(ours.toListJson())).isEqualTo(parse(theirs));
        // ... then byte for byte, so scripts that diff the two outputs see no difference.
        assertThat(ours.toListJson()).isEqualTo(theirs.strip());
    }

    @Test
    void iniInventoryWithRangesNestedChildrenAndVarsDirectoriesMatchesAnsible() throws Exception {
        assertSameAsAnsible(resource("ansible-ini"));
    }

    @Test
    void yamlInventoryMatchesAnsible() throws Exception {
        assertSameAsAnsible(resource("ansible-yaml"));
    }

    @Test
    void iniHostsFileGivenDirectlyMatchesAnsible() throws Exception {
        assertSameAsAnsible(resource("ansible-ini").resolve("hosts"));
    }

    @Test
    void twoInventoriesMergeAsInAnsible() throws Exception {
        assertSameAsAnsible(resource("ansible-ini"), resource("ansible-yaml"));
    }

    /** Merge keys are how large YAML inventories share settings: hundreds of them must read as Ansible reads them. */
    @Test
    void twoHundredMergeKeysMatchAnsible() throws Exception {
        StringBuilder yml = new StringBuilder("""
                all:
                  vars:
                    defaults: &defaults {ntp: pool.ntp.org, tier: gold, limits: {nofile: 65536}}
                    web_defaults: &web {<<: *defaults, tier: silver, http_port: 8080}
                  children:
                """);
        for (int g = 0; g < 4; g++) {
            yml.append("    group").append(g).append(":\n      vars: {<<: *defaults, rack: r").append(g).append("}\n      hosts:\n");
            for (int h = 0; h < 49; h++) {
                yml.append("        node").append(g).append('-').append(h).append(": {<<: ").append(h % 2 == 0 ? "*defaults" : "*web")
                        .append(", idx: ").append(h).append("}\n");
            }
        }
        Path file = home.resolve("merge-keys.yml");
        java.nio.file.Files.writeString(file, yml.toString());
        assertThat(yml.toString().split("<<: ", -1)).hasSize(1 + 1 + 4 + 4 * 49);
        assertSameAsAnsible(file);
    }

    @Test
    void shippedProdInventoryMatchesAnsible() throws Exception {
        Path repo = Path.of(System.getProperty("tuner.repo", "..")).toAbsolutePath().normalize();
        assertSameAsAnsible(repo.resolve("inventories/prod.yml"));
    }

    @Test
    void graphMatchesAnsible() throws Exception {
        Path dir = resource("ansible-ini");
        String theirs = RealAnsible.run(home, List.of(RealAnsible.ANSIBLE_INVENTORY.toString(), "-i", dir.toString(), "--graph"));
        assertThat(Inventory.load(List.of(dir.toString()), home).toGraph()).isEqualTo(theirs.strip());
    }

    @Test
    void graphWithVarsMatchesAnsible() throws Exception {
        Path dir = resource("ansible-yaml");
        String theirs = RealAnsible.run(home, List.of(RealAnsible.ANSIBLE_INVENTORY.toString(), "-i", dir.toString(),
                "--graph", "compute", "--vars"));
        assertThat(Inventory.load(List.of(dir.toString()), home).toGraph("compute", true)).isEqualTo(theirs.strip());
    }

    /** Host patterns evaluated by Ansible's own InventoryManager in one Python process (the CLI takes a second per pattern). */
    @Test
    void patternsSelectTheSameHostsInTheSameOrderAsAnsible() throws Exception {
        Path dir = resource("ansible-ini");
        List<String> patterns = List.of("all", "*", "db", "db:web", "db,lb", "backend:&db", "backend:!db_replica",
                "prod:!web:&backend", "db*", "web-?.example.com", "~dbx-[ab]", "db[0]", "db[-1]", "db[1:3]", "db[2:]",
                "ungrouped", "!db", "&web", "web:db_replica:&prod:!db05.example.com", "dbx-a.example.com,lb",
                "localhost", "nosuch");
        String script = String.join("\n",
                "import json, sys",
                "from ansible.parsing.dataloader import DataLoader",
                "from ansible.inventory.manager import InventoryManager",
                "im = InventoryManager(DataLoader(), sources=[sys.argv[1]])",
                "for p in json.loads(sys.argv[2]):",
                "    im.clear_pattern_cache()",
                "    print(json.dumps([h.name for h in im.get_hosts(p)]))");
        String out = RealAnsible.run(home, List.of(RealAnsible.PYTHON.toString(), "-c", script, dir.toString(), JSON.writeValueAsString(patterns)));
        List<String> lines = out.strip().lines().toList();
        Inventory inv = Inventory.load(List.of(dir.toString()), home);
        assertThat(lines).hasSize(patterns.size());
        for (int i = 0; i < patterns.size(); i++) {
            List<String> theirs = JSON.readValue(lines.get(i), new TypeReference<List<String>>() {});
            assertThat(inv.match(patterns.get(i), null).hostNames()).as("pattern %s", patterns.get(i)).isEqualTo(theirs);
        }
    }
}
