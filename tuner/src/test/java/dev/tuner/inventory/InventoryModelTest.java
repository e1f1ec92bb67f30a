package dev.tuner.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.transport.ConnectionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hosts, groups, variable precedence and the shipped example inventories. */
class InventoryModelTest {
    private static final Path REPO = Path.of(System.getProperty("tuner.repo", "..")).toAbsolutePath().normalize();

    @TempDir
    Path base;

    private Inventory ini(String text) throws IOException {
        Files.writeString(base.resolve("hosts"), text);
        return Inventory.load(List.of("hosts"), base);
    }

    @Test
    void iniValuesAreTypedAsAnsibleTypesThem() throws IOException {
        Inventory inv = ini("h n=5 f=1.5 t=True s=true q=\"a b\" z=022 l=\"[1, 'x']\" d=\"{'k': None}\" e=\n"
                + "[all:vars]\nraw=\"quoted\" # not a comment here\nplain=two words\n");
        Map<String, Object> v = inv.host("h").orElseThrow().vars();
        assertThat(v).containsEntry("n", 5L).containsEntry("f", 1.5).containsEntry("t", true)
                .containsEntry("s", "true").containsEntry("q", "a b").containsEntry("z", "022")
                .containsEntry("l", List.of(1L, "x")).containsEntry("e", "")
                .containsEntry("raw", "\"quoted\" # not a comment here").containsEntry("plain", "two words");
        assertThat(v.get("d")).isEqualTo(java.util.Collections.singletonMap("k", null));
    }

    @Test
    void childGroupsOverrideParentsAndPriorityBreaksTiesBeforeNames() throws IOException {
        Inventory inv = ini("""
                [a]
                h
                [b]
                h
                [parent:children]
                a
                b
                [parent:vars]
                x=parent
                y=parent
                z=parent
                [a:vars]
                x=a
                y=a
                ansible_group_priority=5
                [b:vars]
                x=b
                [all:vars]
                w=all
                """);
        Map<String, Object> v = inv.host("h").orElseThrow().vars();
        // a and b are both depth 2; a's priority 5 sorts it after b, so a wins over b by priority, not name
        assertThat(v).containsEntry("x", "a").containsEntry("y", "a").containsEntry("z", "parent").containsEntry("w", "all");
        assertThat(inv.host("h").orElseThrow().groupNames()).containsExactly("a", "b", "parent");
        assertThat(inv.group("a").orElseThrow().vars()).containsEntry("ansible_group_priority", 5L);
    }

    @Test
    void groupVarsFilesBeatInventoryFileVarsAndHostVarsFilesBeatEverything() throws IOException {
        Files.createDirectories(base.resolve("group_vars"));
        Files.createDirectories(base.resolve("host_vars/h"));
        Files.writeString(base.resolve("group_vars/all.yml"), "x: all-file\n");
        Files.writeString(base.resolve("host_vars/h/10.yml"), "y: host-file-10\n");
        Files.writeString(base.resolve("host_vars/h/20.yml"), "y: host-file-20\n");
        Inventory inv = ini("[child]\nh y=host-inline\n[child:vars]\nx=child-inline\n");
        assertThat(inv.host("h").orElseThrow().vars()).containsEntry("x", "all-file").containsEntry("y", "host-file-20");
    }

    @Test
    void hostsOutsideAnyGroupAreUngroupedAndLeaveItWhenGrouped() throws IOException {
        Inventory inv = ini("loner\nboth\n[g]\nboth\n");
        assertThat(inv.group("ungrouped").orElseThrow().hosts()).containsExactly("loner");
        assertThat(inv.group("all").orElseThrow().children()).containsExactly("ungrouped", "g");
    }

    @Test
    void connectionComesFromTheMergedVars() throws IOException {
        Inventory inv = ini("[db]\ndb1 ansible_host=10.0.0.5 ansible_user=ops\n[db:vars]\nansible_port=2200\n");
        ConnectionSpec c = inv.host("db1").orElseThrow().connection();
        assertThat(c.address()).isEqualTo("10.0.0.5");
        assertThat(c.port()).isEqualTo(2200);
        assertThat(c.user()).isEqualTo("ops");
        assertThat(c.isLocal()).isFalse();
    }

    @Test
    void shippedLocalInventoryIsOneLocalHost() {
        Inventory inv = Inventory.load(List.of("local"), REPO);
        assertThat(inv.hosts()).extracting(Host::name).containsExactly("localhost");
        assertThat(inv.group("local").orElseThrow().hosts()).containsExactly("localhost");
        assertThat(inv.host("localhost").orElseThrow().connection().isLocal()).isTrue();
        assertThat(inv.warnings()).isEmpty();
    }

    @Test
    void shippedProdInventoryExpandsItsRanges() {
        Inventory inv = Inventory.load(List.of("prod"), REPO);
        assertThat(inv.warnings()).isEmpty();
        assertThat(inv.select("db")).extracting(Host::name)
                .containsExactly("db01.example.com", "db02.example.com", "db03.example.com", "db04.example.com");
        assertThat(inv.select("vmware_guests")).extracting(Host::name).containsExactly("vm-app01.example.com",
                "vm-app04.example.com", "vm-app07.example.com", "vm-app10.example.com", "vm-batch.example.com");
        assertThat(inv.select("containers")).extracting(Host::name).startsWith("k8s-node-a.example.com", "k8s-node-b.example.com");
        Host canary = inv.host("web-canary.example.com").orElseThrow();
        assertThat(canary.connection().port()).isEqualTo(2222);
        assertThat(canary.connection().user()).isEqualTo("deploy");
        assertThat(canary.vars()).containsEntry("tuning_profile", "web").containsEntry("ntp_server", "ntp.fra1.example.com");
        assertThat(inv.hosts()).hasSize(21);
    }
}
