package dev.tuner.vsphere;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.FlakyProxy;
import dev.tuner.testing.PyVmomi;
import dev.tuner.testing.Vcsim;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.inventory.Inventory;
import dev.tuner.journal.Journal;
import dev.tuner.journal.JournalEvent;
import dev.tuner.journal.RunJournal;
import dev.tuner.testing.LabHosts;
import dev.tuner.playbook.Playbook;
import dev.tuner.playbook.PlaybookParser;
import dev.tuner.run.HostResult;
import dev.tuner.run.Mode;
import dev.tuner.run.RunListener;
import dev.tuner.run.RunOptions;
import dev.tuner.run.RunResult;
import dev.tuner.run.Runner;
import dev.tuner.run.TagFilter;
import dev.tuner.run.Target;
import dev.tuner.transport.ConnectionFactory;
import dev.tuner.transport.ConnectionSpec;
import dev.tuner.transport.SshOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vSphere stops answering in the middle of an apply, after the plan read the VMs: the vmx kind's
 * own calls (finding and reading the VM) fail on the host that reaches vSphere through a relay that
 * hangs up from then on. That host fails with vSphere's error and its earlier sysctl change is
 * reverted; the other host, reaching vSphere directly, finishes. The relay hangs up at a fixed
 * point, when the run announces "applying vmx" for the victim, so nothing depends on timing.
 */
class VsphereFailureMidApplyTest {
    private static final String PLAYBOOK = """
            - name: guest and VM
              hosts: lab
              gather_facts: false
              tasks:
                - name: network
                  sysctl: {net.ipv4.tcp_fin_timeout: 23}
                - name: stable disk UUIDs
                  vmx: {disk.EnableUUID: TRUE}
            """;

    @TempDir
    Path dir;

    static String finTimeout(LabHosts lab, String host) {
        return lab.exec(host, "cat /proc/sys/net/ipv4/tcp_fin_timeout").out().strip();
    }

    Map<String, Object> vsphere(Vcsim sim, URI url) throws Exception {
        Path pass = dir.resolve("vsphere.pass");
        Files.writeString(pass, Vcsim.PASSWORD + "\n");
        return Map.of("url", url.toString(), "user", Vcsim.USER, "password_file", pass.toString(), "thumbprint", sim.thumbprint);
    }

    @Test
    void aVsphereFailureDuringApplyFailsThatHostOnlyRevertedWhileTheOtherFinishes() throws Exception {
        try (LabHosts lab = LabHosts.start(2); Vcsim sim = Vcsim.start(); FlakyProxy relay = new FlakyProxy(sim.url)) {
            String victimBefore = finTimeout(lab, "lab01");
            assertThat(victimBefore).isNotEqualTo("23");
            Map<String, Map<String, Object>> vmVars = Map.of(
                    "lab01", Map.of("vsphere_vm", "DC0_H0_VM0", "vsphere", vsphere(sim, relay.uri())),
                    "lab02", Map.of("vsphere_vm", "DC0_H0_VM1", "vsphere", vsphere(sim, sim.url)));

            Path pb = dir.resolve("pb.yml");
            Files.writeString(pb, PLAYBOOK);
            Playbook playbook = PlaybookParser.load(pb);
            Inventory inv = Inventory.fromFile(lab.inventoryFile());
            Journal journal = new Journal(dir.resolve("journal"));
            RunJournal rj = journal.begin("apply", playbook.displayName(), List.of(lab.inventoryFile().toString()), null);
            AtomicInteger fired = new AtomicInteger();
            RunListener listener = new RunListener() {
                @Override
                public void hostStarted(String host, String what) {
                    if (host.equals("lab01") && what.equals("applying vmx") && fired.getAndIncrement() == 0) relay.dropNext(Integer.MAX_VALUE);
                }
            };
            Runner runner = new Runner(new RunOptions(Mode.APPLY, 10, TagFilter.ALL, Map.of()),
                    t -> ConnectionFactory.open(ConnectionSpec.fromVars(t.name(), t.vars()), SshOptions.defaults()), listener, rj);
            RunResult r = runner.run(playbook, pattern -> new Runner.Selection(inv.match(pattern, null).hosts().stream().map(h -> {
                Map<String, Object> vars = new LinkedHashMap<>(h.vars());
                vars.putAll(vmVars.get(h.name()));
                return new Target(h.name(), vars, h.groupNames());
            }).toList(), List.of()));
            rj.finish(r.anyFailed() ? "failed" : "ok", Map.of());

            assertThat(fired).as("the relay hung up once, before the victim's vmx apply").hasValue(1);
            assertThat(relay.dropped.get()).as("vSphere calls after that were refused").isPositive();
            Map<String, HostResult> hosts = r.plays().get(0).results().stream().collect(Collectors.toMap(HostResult::host, h -> h));

            HostResult victim = hosts.get("lab01");
            assertThat(victim.status()).as("%s", victim).isEqualTo(HostResult.Status.FAILED);
            assertThat(victim.error()).as("%s", victim).startsWith("applying vmx: ").contains(relay.uri().toString());
            assertThat(victim.leftState()).as("%s", victim).contains("could not revert vmx").contains("tuner rollback " + r.runId())
                    .contains("the rest was reverted");
            assertThat(finTimeout(lab, "lab01")).as("the sysctl change on lab01 is reverted").isEqualTo(victimBefore);
            assertThat(PyVmomi.read(sim, "DC0_H0_VM0").get("extraConfig").has("disk.EnableUUID")).isFalse();

            HostResult other = hosts.get("lab02");
            assertThat(other.status()).as("%s", other).isEqualTo(HostResult.Status.CHANGED);
            assertThat(finTimeout(lab, "lab02")).isEqualTo("23");
            JsonNode vm1 = PyVmomi.read(sim, "DC0_H0_VM1");
            assertThat(vm1.get("extraConfig").path("disk.EnableUUID").asText()).isEqualTo("TRUE");
            assertThat(r.exitCode()).isEqualTo(1);

            List<JournalEvent> events = journal.events(r.runId()).get("lab01");
            assertThat(events).filteredOn(e -> JournalEvent.STATE.equals(e.event())).singleElement().satisfies(e -> {
                assertThat(e.status()).isEqualTo("failed");
                assertThat(e.message()).contains(relay.uri().toString()).contains("could not revert vmx");
            });
            // The sysctl change and its revert, each as an applied event.
            assertThat(events).filteredOn(e -> JournalEvent.APPLIED.equals(e.event())).extracting(JournalEvent::kind)
                    .containsExactly("sysctl", "sysctl");
        }
    }
}
