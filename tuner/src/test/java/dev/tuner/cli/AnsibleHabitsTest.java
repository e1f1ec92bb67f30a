package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.RealAnsible;
import dev.tuner.testing.Repo;
import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command lines an Ansible user types out of habit work as they do with ansible-playbook and ansible-inventory. */
class AnsibleHabitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** {@code -e @vars.yml} as two arguments: the file reaches tuner, not picocli's argument-file expansion. */
    @Test
    void extraVarsFileGivenAsItsOwnArgument() throws Exception {
        Path vars = tmp.resolve("vars.yml");
        Files.writeString(vars, "swappiness: 7\n");
        Path playbook = tmp.resolve("site.yml");
        Files.writeString(playbook, """
                - hosts: all
                  tasks:
                    - name: swap
                      sysctl: {vm.swappiness: "{{ swappiness }}"}
                """);
        TunerCli.Result r = TunerCli.run("plan", playbook.toString(), "-i", Repo.path("inventories/local.yml").toString(),
                "-e", "@" + vars, "--format", "json");
        assertThat(r.exitCode()).as(r.screen()).isIn(0, 2);
        assertThat(r.out()).contains("\"desired\" : \"7\"");
    }

    /** {@code tuner inventory --list -l @file} lists the hosts Ansible's own InventoryManager selects with that limit. */
    @Test
    void inventoryListHonoursALimitReadFromAFile() throws Exception {
        RealAnsible.requireInstalled();
        Path inventory = Repo.resource("inventory/ansible-ini");
        Path limitFile = tmp.resolve("retry.txt");
        Files.writeString(limitFile, "db\n!db05.example.com\n\nlb01.example.com\n");
        String limit = "@" + limitFile;

        String script = String.join("\n",
                "import json, sys",
                "from ansible.parsing.dataloader import DataLoader",
                "from ansible.inventory.manager import InventoryManager",
                "im = InventoryManager(DataLoader(), sources=[sys.argv[1]])",
                "im.subset(sys.argv[2])",
                "print(json.dumps([h.name for h in im.get_hosts('all')]))");
        List<String> theirs = JSON.readValue(RealAnsible.run(tmp, List.of(RealAnsible.PYTHON.toString(), "-c", script,
                inventory.toString(), limit)), new TypeReference<List<String>>() {});
        assertThat(theirs).as("the limit file selects some hosts, not all").isNotEmpty().hasSizeLessThan(15);

        TunerCli.Result r = TunerCli.run("inventory", "-i", inventory.toString(), "--list", "-l", limit);
        assertThat(r.exitCode()).as(r.screen()).isZero();
        JsonNode list = JSON.readTree(r.out());
        assertThat(new TreeSet<>(JSON.convertValue(list.get("_meta").get("hostvars"), new TypeReference<Map<String, Object>>() {}).keySet()))
                .isEqualTo(new TreeSet<>(theirs));
        List<String> inGroups = new ArrayList<>();
        list.fields().forEachRemaining(e -> {
            if (e.getValue().has("hosts")) e.getValue().get("hosts").forEach(h -> inGroups.add(h.asText()));
        });
        assertThat(new TreeSet<>(inGroups)).isEqualTo(new TreeSet<>(theirs));
        assertThat(list.has("web")).as("a group left without hosts is left out, as ansible-inventory does").isFalse();

        TunerCli.Result graph = TunerCli.run("inventory", "-i", inventory.toString(), "--graph", "-l", limit);
        assertThat(graph.out()).contains("lb01.example.com").doesNotContain("web-1.example.com", "db05.example.com");
        TunerCli.Result host = TunerCli.run("inventory", "-i", inventory.toString(), "--host", "web-1.example.com", "-l", limit);
        assertThat(host.exitCode()).isEqualTo(1);
        assertThat(host.err()).contains("web-1.example.com", "--limit");
    }

    /** -v is accepted wherever a host or file is worked on, as with every Ansible command. */
    @Test
    void verboseOnDriftValidateAndInventory() {
        for (String[] args : List.of(new String[] {"drift", "-v", "site.yml", "-i", "local"},
                new String[] {"validate", "-vv", "site.yml"}, new String[] {"inventory", "-v", "--list", "-i", "local"})) {
            assertThat(Main.commandLine().parseArgs(args).subcommand().matchedOptionValue("-v", new boolean[0])).isNotEmpty();
        }
    }

    /** bench's -e is extra vars as everywhere; benchmark variables come from tuner_verify_vars, then --bench-var. */
    @Test
    void benchExtraVarsAreExtraVarsAndBenchmarkVariablesHaveTheirOwnOption() throws Exception {
        Path verify = Files.createDirectories(tmp.resolve("verify"));
        Files.writeString(verify.resolve("echo.yml"), """
                description: prints its variable
                vars:
                  figure: 1
                timeout: 10s
                command: echo figure {{ figure }}
                metrics:
                  figure:
                    regex: 'figure ([0-9]+)'
                    unit: units
                    better: higher
                """);
        List<String> base = List.of("bench", "-i", Repo.path("inventories/local.yml").toString(), "--verify-dir", verify.toString(),
                "--suite", "echo", "--runs", "1", "--warmup", "0", "--journal", tmp.resolve("journal").toString(), "--format", "json");

        TunerCli.Result viaHostVar = TunerCli.run(concat(base, "-e", "{tuner_verify_vars: {figure: 42}}"));
        assertThat(viaHostVar.exitCode()).as(viaHostVar.screen()).isZero();
        assertThat(figure(viaHostVar)).isEqualTo(42);

        Path report = tmp.resolve("baseline.html");
        TunerCli.Result benchVarWins = TunerCli.run(concat(base, "-e", "{tuner_verify_vars: {figure: 42}}", "--bench-var", "figure=43",
                "--report", report.toString()));
        assertThat(figure(benchVarWins)).isEqualTo(43);
        assertThat(Files.readString(report)).as("bench --report").contains("localhost · echo · figure", "median 43", "class=\"tick-label\"");

        TunerCli.Result oldHabit = TunerCli.run(concat(base, "-e", "figure=44"));
        assertThat(figure(oldHabit)).as("an extra var is not a benchmark variable").isEqualTo(1);
        assertThat(oldHabit.err()).contains("-e figure is an extra variable", "--bench-var figure=VALUE");
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    private static int figure(TunerCli.Result r) throws Exception {
        JsonNode hosts = JSON.readTree(r.out()).get("hosts");
        return hosts.get("localhost").get(0).get("metrics").get("figure").get("values").get(0).asInt();
    }
}
