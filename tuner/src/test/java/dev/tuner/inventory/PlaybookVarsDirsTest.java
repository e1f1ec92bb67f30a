package dev.tuner.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.RealAnsible;
import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * group_vars/ and host_vars/ beside the playbook join the inventory's with Ansible's precedence
 * (inventory group_vars/all < playbook group_vars/all < inventory group_vars/GROUP < playbook
 * group_vars/GROUP < inventory host_vars < playbook host_vars), checked against ansible-inventory
 * --playbook-dir, which merges them as ansible-playbook does.
 */
class PlaybookVarsDirsTest {
    @TempDir
    Path dir;

    Path inventory;
    Path playbooks;

    private void write(String relative, String text) throws Exception {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @BeforeEach
    void layout() throws Exception {
        write("inventory/hosts", """
                [db]
                db01 ansible_connection=local layer=inventory-host-inline
                db02 ansible_connection=local

                [prod:children]
                db

                [db:vars]
                layer=inventory-group-inline
                """);
        write("inventory/group_vars/all.yml", "layer: inventory-all\nfrom_all: inventory\nswappiness: 1\n");
        write("inventory/group_vars/db.yml", "layer: inventory-db\nfrom_group: inventory\n");
        write("inventory/host_vars/db01.yml", "layer: inventory-host\nfrom_host: inventory\n");
        write("playbooks/group_vars/all.yml", "from_all: playbook\nonly_playbook: here\n");
        write("playbooks/group_vars/prod.yml", "from_group: playbook-prod\n");
        write("playbooks/group_vars/db.yml", "from_group: playbook-db\nlayer: playbook-db\n");
        write("playbooks/host_vars/db02.yml", "swappiness: 7\n");
        write("playbooks/host_vars/db01.yml", "from_host: playbook\n");
        write("playbooks/site.yml", """
                - hosts: db
                  tasks:
                    - name: swap
                      sysctl: {vm.swappiness: "{{ swappiness }}"}
                    - name: needs the playbook's group_vars
                      sysctl: {vm.dirty_ratio: "{{ only_playbook?length }}"}
                """);
        inventory = dir.resolve("inventory");
        playbooks = dir.resolve("playbooks");
    }

    @Test
    void listMatchesAnsibleInventoryWithThePlaybookDir() throws Exception {
        RealAnsible.requireInstalled();
        Path home = Files.createDirectories(dir.resolve("home"));
        String theirs = RealAnsible.run(home, List.of(RealAnsible.ANSIBLE_INVENTORY.toString(), "-i", inventory.toString(),
                "--playbook-dir", playbooks.toString(), "--list"));
        TunerCli.Result ours = TunerCli.run("inventory", "-i", inventory.toString(), "--playbook-dir", playbooks.toString(), "--list");
        assertThat(ours.exitCode()).as(ours.screen()).isZero();
        assertThat(ours.out().strip()).isEqualTo(theirs.strip());
        assertThat(ours.out()).contains("\"from_host\": \"playbook\"", "\"only_playbook\": \"here\"");
    }

    @Test
    void aRunAndValidateSeeThePlaybooksVars() {
        TunerCli.Result validate = TunerCli.run("validate", playbooks.resolve("site.yml").toString(), "-i", inventory.toString());
        assertThat(validate.exitCode()).as(validate.screen()).isZero();

        TunerCli.Result plan = TunerCli.run("plan", playbooks.resolve("site.yml").toString(), "-i", inventory.toString(),
                "-l", "db02", "--format", "json");
        assertThat(plan.exitCode()).as(plan.screen()).isIn(0, 2);
        assertThat(plan.out()).contains("\"desired\" : \"7\"", "\"desired\" : \"4\"");
    }
}
