package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.testing.PyVmomi;
import dev.tuner.testing.Repo;
import dev.tuner.testing.TunerCli;
import dev.tuner.testing.Vcsim;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vmx kind through the real command line against vcsim (a fresh simulator per test), as an operator
 * would use it: an inventory naming VMs and the endpoint, the shipped playbooks/vm-guest.yml, plan, apply,
 * drift, rollback. Results are checked with pyVmomi, an independent client, and on the SOAP requests
 * vcsim traced where the simulator cannot judge (it never enforces power state). The guest side is the
 * local connection: vcsim VMs have no guest OS to SSH into.
 */
class VmxCommandTest {
    static final String VM0 = "DC0_H0_VM0";
    static final String VM1 = "DC0_H0_VM1";

    @TempDir
    Path dir;
    Vcsim sim;
    Path playbook;
    Path passwordFile;

    @BeforeEach
    void start() throws Exception {
        sim = Vcsim.start();
        playbook = Repo.root().resolve("playbooks/vm-guest.yml");
        passwordFile = dir.resolve("vsphere.pass");
        Files.writeString(passwordFile, Vcsim.PASSWORD + "\n");
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    static TunerCli.Result tuner(String... args) {
        // Measuring is another feature's test (VerifiedApplyTest): vcsim's VMs have no guest to measure.
        if (args.length > 0 && args[0].equals("apply")) {
            String[] withNoVerify = java.util.Arrays.copyOf(args, args.length + 1);
            withNoVerify[args.length] = "--no-verify";
            args = withNoVerify;
        }
        return TunerCli.run(args);
    }

    /** An inventory with the endpoint in group vars (as users write it) and one host per VM. */
    Path inventory(String endpointExtra, String... hostAndVm) throws IOException {
        StringBuilder sb = new StringBuilder("""
                all:
                  children:
                    vmware_guests:
                      vars:
                        ansible_connection: local
                        # The host lock of a local connection is this machine's: kept in the test's directory.
                        tuner_lock_dir: "%s"
                        vsphere:
                          url: "%s"
                          user: %s
                          password_file: "%s"
                """.formatted(dir.resolve("host-lock"), sim.url, Vcsim.USER, passwordFile));
        sb.append(endpointExtra.isEmpty() ? "          thumbprint: \"" + sim.thumbprint + "\"\n" : endpointExtra);
        sb.append("      hosts:\n");
        for (int i = 0; i < hostAndVm.length; i += 2) {
            sb.append("        ").append(hostAndVm[i]).append(":\n          vsphere_vm: ").append(hostAndVm[i + 1]).append('\n');
        }
        Path inv = dir.resolve("inv.yml");
        Files.writeString(inv, sb.toString());
        return inv;
    }

    Path inventory() throws IOException {
        return inventory("", "vm0", VM0);
    }

    Path playbookFile(String name, String yaml) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    static String nic(JsonNode vm, String field) {
        for (JsonNode d : vm.get("devices")) {
            if (d.get("type").asText().matches("Virtual(E1000e?|Vmxnet3)")) {
                return d.get(field).asText();
            }
        }
        throw new AssertionError("no NIC in " + vm);
    }

    static String scsiType(JsonNode vm) {
        for (JsonNode d : vm.get("devices")) {
            if (d.get("type").asText().matches(".*(SCSI|LsiLogic|BusLogic).*Controller") && d.get("busNumber").asInt() == 0) {
                return d.get("type").asText();
            }
        }
        throw new AssertionError("no scsi0 in " + vm);
    }

    static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void planShowsEveryVmxKeyOfTheShippedPlaybookWithCurrentDesiredAndCost() throws Exception {
        TunerCli.Result r = tuner("plan", playbook.toString(), "-i", inventory().toString(), "--no-color");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(2);
        assertThat(r.out())
                .containsPattern("~ numvcpus +1 → 8 +\\[power-cycle\\] +needs the VM powered off: apply refuses it without power_cycle: allowed or --allow-power-cycle")
                .containsPattern("~ cpuid\\.coresPerSocket +1 → 4 +\\[power-cycle\\]")
                .containsPattern("~ cpuid\\.hypervisor\\.enabled +\"\" → FALSE +\\[next-boot\\] +stored now, takes effect at the VM's next power-on")
                .containsPattern("~ mem\\.hotadd +FALSE → TRUE +\\[power-cycle\\]")
                .containsPattern("~ mem\\.hotadd\\.max +\"\" → 64 +\\[next-boot\\]")
                .containsPattern("~ sched\\.mem\\.pshare\\.enable +\"\" → TRUE +\\[next-boot\\]")
                .containsPattern("= scsi0\\.virtualDev +pvscsi +in sync")
                .containsPattern("~ scsi0:0\\.virtualSSD +\"\" → 1 +\\[next-boot\\]")
                .containsPattern("~ disk\\.EnableUUID +\"\" → TRUE +\\[next-boot\\]")
                .containsPattern("~ ethernet0\\.virtualDev +e1000 → vmxnet3 +\\[power-cycle\\].*the guest may rename the interface")
                .containsPattern("= ethernet0\\.wakeOnPcktRcv +TRUE +in sync")
                .contains("note: vmx: VM DC0_H0_VM0 (vm-").contains("poweredOn");
        assertThat(sim.trace()).as("plan changes nothing").doesNotContain("ReconfigVM_Task").doesNotContain("ShutdownGuest");
        assertThat(PyVmomi.read(sim, VM0).get("numCPU").asInt()).isEqualTo(1);
    }

    @Test
    void applyRefusesPowerCycleChangesWithoutPermissionAndChangesNothing() throws Exception {
        TunerCli.Result r = tuner("apply", playbook.toString(), "-i", inventory().toString(), "--no-color");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.out()).contains("HOST vm0  FAILED: applying vmx: refusing to power-cycle DC0_H0_VM0")
                .contains("numvcpus: 1 -> 8 [power-cycle]").contains("ethernet0.virtualDev: e1000 -> vmxnet3 [power-cycle]")
                .contains("--allow-power-cycle; nothing was changed").contains("vm0 : ok=0  changed=0  unreachable=0  failed=4  skipped=0");
        JsonNode vm = PyVmomi.read(sim, VM0);
        assertThat(vm.get("numCPU").asInt()).isEqualTo(1);
        assertThat(vm.get("extraConfig").has("disk.EnableUUID")).as("not even the next-boot keys").isFalse();
        assertThat(vm.get("powerState").asText()).isEqualTo("poweredOn");
        assertThat(sim.trace()).doesNotContain("ReconfigVM_Task").doesNotContain("ShutdownGuest").doesNotContain("CreateSnapshot_Task");
    }

    @Test
    void anExplicitPowerCycleRefusalInThePlaybookWinsOverTheCommandLine() throws Exception {
        Path pb = playbookFile("refused.yml", """
                - hosts: all
                  power_cycle: refused
                  tasks:
                    - name: more CPUs
                      vmx: {numvcpus: 2}
                """);
        TunerCli.Result r = tuner("apply", pb.toString(), "-i", inventory().toString(), "--no-color", "--allow-power-cycle");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.out()).contains("refusing to power-cycle DC0_H0_VM0");
        assertThat(PyVmomi.read(sim, VM0).get("numCPU").asInt()).isEqualTo(1);
    }

    @Test
    void applyWithPermissionPowerCyclesOnceThenReapplyChangesNothingAndRollbackRestores() throws Exception {
        Path inv = inventory();
        JsonNode before = PyVmomi.read(sim, VM0);
        TunerCli.Result r = tuner("apply", playbook.toString(), "-i", inv.toString(), "--no-color", "--allow-power-cycle");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(0);
        assertThat(r.out()).contains("was shut down through its guest, reconfigured and powered on")
                .contains("snapshot of DC0_H0_VM0").contains("removed after it succeeded")
                .contains("not waiting for the guest: vm0 is reached through the local connection")
                .contains("vm0 : ok=0  changed=4");

        JsonNode vm = PyVmomi.read(sim, VM0);
        assertThat(vm.get("powerState").asText()).isEqualTo("poweredOn");
        assertThat(vm.get("numCPU").asInt()).isEqualTo(8);
        assertThat(vm.get("numCoresPerSocket").asInt()).isEqualTo(4);
        assertThat(vm.get("memoryHotAddEnabled").asBoolean()).isTrue();
        assertThat(vm.get("extraConfig").get("disk.EnableUUID").asText()).isEqualTo("TRUE");
        assertThat(vm.get("extraConfig").get("scsi0:0.virtualSSD").asText()).isEqualTo("1");
        assertThat(vm.get("extraConfig").get("cpuid.hypervisor.enabled").asText()).isEqualTo("FALSE");
        assertThat(vm.get("extraConfig").get("sched.mem.pshare.enable").asText()).isEqualTo("TRUE");
        assertThat(nic(vm, "type")).isEqualTo("VirtualVmxnet3");
        assertThat(nic(vm, "macAddress")).as("the new adapter keeps the MAC").isEqualTo(nic(before, "macAddress"));
        assertThat(vm.get("snapshots").asInt()).as("snapshot removed after success").isZero();
        String trace = sim.trace();
        assertThat(count(trace, "<ReconfigVM_Task[ >]")).as("one reconfigure for all four tasks").isEqualTo(1);
        assertThat(trace.indexOf("<ShutdownGuest")).isBetween(trace.indexOf("<CreateSnapshot_Task"), trace.indexOf("<ReconfigVM_Task"));
        assertThat(trace.lastIndexOf("<PowerOnVM_Task")).isGreaterThan(trace.indexOf("<ReconfigVM_Task"));

        TunerCli.Result again = tuner("apply", playbook.toString(), "-i", inv.toString(), "--no-color", "--allow-power-cycle");
        assertThat(again.exitCode()).as(again.screen()).isEqualTo(0);
        assertThat(again.out()).contains("vm0 : ok=4  changed=0  unreachable=0  failed=0");
        assertThat(count(sim.trace(), "<ReconfigVM_Task[ >]")).as("idempotent: nothing sent").isEqualTo(1);

        // The latest apply is the idempotent one: roll back the one that changed the VM.
        String runId = firstApplyRun(inv);
        TunerCli.Result refused = tuner("rollback", runId, "-i", inv.toString(), "--no-color");
        assertThat(refused.exitCode()).as(refused.screen()).isEqualTo(1);
        assertThat(refused.out()).contains("refusing to power-cycle").contains("numvcpus: 8 -> 1 [power-cycle]")
                .contains("run the rollback with --allow-power-cycle");
        assertThat(PyVmomi.read(sim, VM0).get("numCPU").asInt()).isEqualTo(8);
        TunerCli.Result back = tuner("rollback", runId, "-i", inv.toString(), "--no-color", "--allow-power-cycle");
        assertThat(back.exitCode()).as(back.screen()).isEqualTo(0);
        assertThat(back.out()).containsPattern("~ numvcpus +8 → 1 +\\[power-cycle\\]")
                .containsPattern("~ disk\\.EnableUUID +TRUE → \"\" +\\[next-boot\\]");
        JsonNode restored = PyVmomi.read(sim, VM0);
        assertThat(restored.get("numCPU").asInt()).isEqualTo(1);
        assertThat(restored.get("numCoresPerSocket").asInt()).isEqualTo(1);
        assertThat(restored.get("memoryHotAddEnabled").asBoolean()).isFalse();
        assertThat(nic(restored, "type")).isEqualTo("VirtualE1000");
        assertThat(nic(restored, "macAddress")).isEqualTo(nic(before, "macAddress"));
        // An added advanced setting is removed by setting it empty, which is how vSphere deletes one.
        assertThat(restored.get("extraConfig").path("disk.EnableUUID").asText("")).isEmpty();
        assertThat(restored.get("extraConfig").path("scsi0:0.virtualSSD").asText("")).isEmpty();

        TunerCli.Result plan = tuner("plan", playbook.toString(), "-i", inv.toString(), "--no-color");
        assertThat(plan.out()).containsPattern("~ numvcpus +1 → 8");
    }

    String firstApplyRun(Path inv) {
        TunerCli.Result h = tuner("history", "-i", inv.toString());
        List<String> applies = new ArrayList<>();
        for (String line : h.out().split("\n")) {
            if (line.contains(" apply ")) {
                applies.add(line.split("\\s+")[0]);
            }
        }
        assertThat(applies).as(h.out()).isNotEmpty();
        return applies.get(0);
    }

    @Test
    void everyKeyFamilyAppliesThroughItsOwnApiForm() throws Exception {
        PyVmomi.set(sim, VM0, "old.setting=1");
        Path pb = playbookFile("families.yml", """
                - hosts: all
                  tasks:
                    - name: fields
                      power_cycle: allowed
                      vmx:
                        memsize: 64
                        vcpu.hotadd: TRUE
                    - name: devices
                      power_cycle: allowed
                      vmx:
                        scsi0.virtualDev: lsilogic
                        ethernet0.wakeOnPcktRcv: FALSE
                    - name: advanced
                      vmx:
                        old.setting: ""
                        numa.vcpu.preferHT: TRUE
                """);
        TunerCli.Result r = tuner("apply", pb.toString(), "-i", inventory().toString(), "--no-color");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(0);
        assertThat(r.out()).containsPattern("~ scsi0\\.virtualDev +pvscsi → lsilogic +\\[power-cycle\\]")
                .containsPattern("~ ethernet0\\.wakeOnPcktRcv +TRUE → FALSE")
                .containsPattern("~ old\\.setting +1 → \"\" +\\[next-boot\\]");
        JsonNode vm = PyVmomi.read(sim, VM0);
        assertThat(vm.get("memoryMB").asInt()).isEqualTo(64);
        assertThat(vm.get("cpuHotAddEnabled").asBoolean()).isTrue();
        assertThat(scsiType(vm)).isEqualTo("VirtualLsiLogicController");
        assertThat(nic(vm, "wakeOnLanEnabled")).isEqualTo("false");
        assertThat(vm.get("extraConfig").get("numa.vcpu.preferHT").asText()).isEqualTo("TRUE");
        assertThat(vm.get("extraConfig").path("old.setting").asText("")).isEmpty();
        // Field-backed keys go through their fields, never through extraConfig.
        String reconfig = sim.trace().substring(sim.trace().indexOf("<ReconfigVM_Task"));
        assertThat(reconfig).contains("<memoryMB>64</memoryMB>").contains("<cpuHotAddEnabled>true</cpuHotAddEnabled>")
                .doesNotContain("<key>memsize</key>").doesNotContain("<key>vcpu.hotadd</key>");
    }

    @Test
    void driftAfterAnotherClientChangedTheVmNamesTheKeysAndExitsTwo() throws Exception {
        Path inv = inventory();
        Path pb = playbookFile("hot.yml", """
                - hosts: all
                  tasks:
                    - name: advanced settings only (no power cycle)
                      vmx:
                        disk.EnableUUID: TRUE
                        sched.mem.pshare.enable: TRUE
                """);
        assertThat(tuner("apply", pb.toString(), "-i", inv.toString()).exitCode()).isZero();
        TunerCli.Result clean = tuner("drift", pb.toString(), "-i", inv.toString(), "--no-color");
        assertThat(clean.exitCode()).as(clean.screen()).isZero();
        assertThat(clean.out()).contains("in sync: 2 setting(s) checked on 1 host(s)");

        PyVmomi.set(sim, VM0, "disk.EnableUUID=FALSE");
        TunerCli.Result drift = tuner("drift", pb.toString(), "-i", inv.toString(), "--no-color");
        assertThat(drift.exitCode()).as(drift.screen()).isEqualTo(2);
        assertThat(drift.out()).contains("DRIFT   vm0  vmx disk.EnableUUID  expected=TRUE  running=FALSE")
                .doesNotContain("sched.mem.pshare.enable  expected")
                .contains("1 drifted setting(s)");
    }

    @Test
    void oneSessionPerEndpointIsSharedByAllHostsAndLoggedOutAtTheEnd() throws Exception {
        Path inv = inventory("", "vm0", VM0, "vm1", VM1);
        TunerCli.Result r = tuner("plan", playbook.toString(), "-i", inv.toString(), "--no-color", "-f", "2");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(2);
        assertThat(r.out()).contains("VM DC0_H0_VM0").contains("VM DC0_H0_VM1");
        String trace = sim.trace();
        assertThat(count(trace, "<Login[ >]")).isEqualTo(1);
        assertThat(count(trace, "<Logout[ >]")).isEqualTo(1);
    }

    @Test
    void aWrongPasswordFailsEveryHostClearlyWithOneLoginAttempt() throws Exception {
        Files.writeString(passwordFile, "not-the-password\n");
        TunerCli.Result r = tuner("plan", playbook.toString(), "-i", inventory("", "vm0", VM0, "vm1", VM1).toString(), "--no-color");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.out()).contains("HOST vm0  FAILED: vmx: vSphere " + sim.url + ": InvalidLogin")
                .contains("as 'tuner'").contains("HOST vm1  FAILED").doesNotContain("not-the-password");
        assertThat(count(sim.trace(), "<Login[ >]")).as("a wrong password is not retried per host (account lockout)").isEqualTo(1);
    }

    @Test
    void aWrongThumbprintIsRefusedNamingThePresentedOne() throws Exception {
        String wrong = "AA:".repeat(31) + "AA";
        TunerCli.Result r = tuner("plan", playbook.toString(), "-i", inventory("          thumbprint: \"" + wrong + "\"\n", "vm0", VM0).toString(),
                "--no-color");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.out()).contains("HOST vm0  FAILED").contains(sim.thumbprint).contains(wrong);
        assertThat(sim.trace()).as("no password was sent to the wrong server").doesNotContain("<Login");
    }

    @Test
    void theCaFileVerifiesTheServerAndInsecureWarns() throws Exception {
        TunerCli.Result ca = tuner("plan", playbook.toString(), "-i", inventory("          ca_file: \"" + sim.certFile + "\"\n", "vm0", VM0).toString(),
                "--no-color");
        assertThat(ca.exitCode()).as(ca.screen()).isEqualTo(2);
        assertThat(ca.out()).doesNotContain("WARNING");

        TunerCli.Result insecure = tuner("plan", playbook.toString(), "-i", inventory("          insecure: true\n", "vm0", VM0).toString(), "--no-color");
        assertThat(insecure.exitCode()).as(insecure.screen()).isEqualTo(2);
        assertThat(insecure.out()).contains("WARNING: the TLS certificate of " + sim.url + " is not verified (insecure: true)");

        TunerCli.Result system = tuner("plan", playbook.toString(), "-i", inventory("\n", "vm0", VM0).toString(), "--no-color");
        assertThat(system.exitCode()).as("a self-signed certificate fails the system trust store by default").isEqualTo(1);
        assertThat(system.out()).contains(sim.thumbprint);
    }

    @Test
    void aPasswordInTheInventoryIsRefusedBeforeAnythingIsSent() throws Exception {
        Path inv = dir.resolve("inv.yml");
        Files.writeString(inv, """
                all:
                  vars:
                    ansible_connection: local
                    vsphere: {url: "%s", user: tuner, password: tuner-secret}
                  children:
                    vmware_guests:
                      hosts:
                        vm0: {vsphere_vm: DC0_H0_VM0}
                """.formatted(sim.url));
        TunerCli.Result r = tuner("plan", playbook.toString(), "-i", inv.toString(), "--no-color");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("'password' is refused: secrets do not belong in inventories or playbooks")
                .contains("password_env").contains("password_file");
        assertThat(sim.trace()).isEmpty();

        Files.writeString(inv, """
                all:
                  vars:
                    ansible_connection: local
                    vsphere: {url: "%s", user: tuner, password_env: TUNER_TEST_SURELY_UNSET_PASSWORD, thumbprint: "%s"}
                  children:
                    vmware_guests:
                      hosts:
                        vm0: {vsphere_vm: DC0_H0_VM0}
                """.formatted(sim.url, sim.thumbprint));
        TunerCli.Result env = tuner("plan", playbook.toString(), "-i", inv.toString(), "--no-color");
        assertThat(env.out()).contains("environment variable TUNER_TEST_SURELY_UNSET_PASSWORD (password_env) is not set");
    }

    @Test
    void anUnknownVmFailsThatHostOnlyWithASuggestion() throws Exception {
        TunerCli.Result r = tuner("plan", playbook.toString(), "-i", inventory("", "vm0", "DC0_H0_VM7", "vm1", VM1).toString(), "--no-color");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.out()).contains("HOST vm0  FAILED: vmx: no VM named 'DC0_H0_VM7'").contains("did you mean")
                .contains("VM DC0_H0_VM1").contains("vm1 : ok=0  changed=4");
    }

    @Test
    void aKeyTheVmCannotHaveFailsThatKeyInThePlan() throws Exception {
        Path pb = playbookFile("scsi1.yml", """
                - hosts: all
                  tasks:
                    - name: controllers
                      vmx:
                        scsi1.virtualDev: pvscsi
                        disk.EnableUUID: TRUE
                """);
        TunerCli.Result r = tuner("plan", pb.toString(), "-i", inventory().toString(), "--no-color");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).containsPattern("! scsi1\\.virtualDev .*failed: scsi1 does not exist on DC0_H0_VM0 .*it has scsi0")
                .containsPattern("~ disk\\.EnableUUID +\"\" → TRUE");
    }

    @Test
    void aKeyTwoTasksSetTakesTheLaterValueAndThePlanSaysSo() throws Exception {
        Path pb = playbookFile("twice.yml", """
                - hosts: all
                  tasks:
                    - name: site default
                      vmx: {sched.mem.pshare.enable: FALSE, disk.EnableUUID: TRUE}
                    - name: this VM
                      vmx: {sched.mem.pshare.enable: TRUE}
                """);
        TunerCli.Result plan = tuner("plan", pb.toString(), "-i", inventory().toString(), "--no-color");
        assertThat(plan.exitCode()).as(plan.screen()).isEqualTo(2);
        assertThat(plan.out()).containsPattern("~ sched\\.mem\\.pshare\\.enable +\"\" → TRUE +\\[next-boot\\]")
                .contains("note: sched.mem.pshare.enable is set by task #1 (FALSE) and task #2 (TRUE); the later one wins")
                .doesNotContain("FAILED");

        TunerCli.Result apply = tuner("apply", pb.toString(), "-i", inventory().toString(), "--no-color");
        assertThat(apply.exitCode()).as(apply.screen()).isZero();
        JsonNode extra = PyVmomi.read(sim, VM0).get("extraConfig");
        assertThat(extra.get("sched.mem.pshare.enable").asText()).isEqualTo("TRUE");
        assertThat(extra.get("disk.EnableUUID").asText()).isEqualTo("TRUE");
    }

    @Test
    void aTaskThatFaultsOnTheServerFailsTheHostWithTheFault() throws Exception {
        // The inventory points at a template by mistake: vSphere refuses to reconfigure it.
        PyVmomi.makeTemplate(sim, VM0);
        Path pb = playbookFile("uuid.yml", """
                - hosts: all
                  tasks:
                    - name: stable disk UUIDs
                      vmx: {disk.EnableUUID: TRUE}
                """);
        TunerCli.Result r = tuner("apply", pb.toString(), "-i", inventory().toString(), "--no-color");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.out()).contains("HOST vm0  FAILED: applying vmx: NotSupported").contains("task ReconfigVM_Task on DC0_H0_VM0");
        assertThat(PyVmomi.read(sim, VM0).get("extraConfig").has("disk.EnableUUID")).isFalse();
    }

    @Test
    void validationNamesFileLineAndColumnWithoutContactingAnything() throws Exception {
        Path pb = playbookFile("bad.yml", """
                - hosts: all
                  tasks:
                    - name: typos
                      vmx:
                        scsi0.virtualDev: pvscis
                        numcpus: 4
                        ethernet0.present: FALSE
                """);
        TunerCli.Result r = tuner("validate", pb.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.screen()).contains(pb + ":5:27: vmx key 'scsi0.virtualDev' must be one of pvscsi, lsilogic, lsisas1068, buslogic, got 'pvscis' (did you mean 'pvscsi'?)")
                .contains(pb + ":6:9: warning: vmx: 'numcpus' is not a key tuner knows, so it is set as an advanced setting (did you mean 'numvcpus'?)")
                .contains(pb + ":7:9: vmx key 'ethernet0.present' describes a device");
        assertThat(sim.trace()).isEmpty();
    }
}
