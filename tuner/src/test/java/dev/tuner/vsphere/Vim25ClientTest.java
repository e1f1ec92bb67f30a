package dev.tuner.vsphere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuner.diag.TunerException;
import dev.tuner.testing.FlakyProxy;
import dev.tuner.testing.PyVmomi;
import dev.tuner.testing.Vcsim;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vim25 client against a real vim25 server (vcsim), cross-checked with pyVmomi. One simulator for
 * all: no test leaves DC0_H0_VM0 changed.
 */
class Vim25ClientTest {
    static Vcsim sim;

    @BeforeAll
    static void start() throws Exception {
        sim = Vcsim.start();
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void logsInWithPinnedThumbprintAndSpeaksTheServersApiVersion() throws Exception {
        try (Vim25Client c = sim.connect()) {
            assertThat(c.serverName()).contains("vCenter");
            assertThat(c.apiVersion()).matches("[0-9]+\\.[0-9.]+");
        }
        assertThat(sim.trace()).contains("<Login").contains("<userName>tuner</userName>");
    }

    @Test
    void verifiesTheCertificateAgainstACaFile() {
        var e = new Vim25Client.Endpoint(sim.url, Vcsim.USER, Vcsim.PASSWORD, TlsPolicy.caFile(sim.certFile));
        try (Vim25Client c = Vim25Client.connect(e)) {
            assertThat(c.findVm("DC0_H0_VM0").name()).isEqualTo("DC0_H0_VM0");
        }
    }

    @Test
    void refusesAnUntrustedCertificateByDefaultAndShowsItsThumbprint() {
        var e = new Vim25Client.Endpoint(sim.url, Vcsim.USER, Vcsim.PASSWORD, TlsPolicy.system());
        assertThatThrownBy(() -> Vim25Client.connect(e))
                .isInstanceOf(TunerException.class)
                .hasMessageStartingWith("TLS: cannot verify the certificate of 127.0.0.1")
                .hasMessageContaining(sim.thumbprint)
                .hasMessageContaining("thumbprint:");
    }

    @Test
    void refusesAWrongThumbprintNamingThePresentedOne() {
        String wrong = "AA:" + sim.thumbprint.substring(3);
        var e = new Vim25Client.Endpoint(sim.url, Vcsim.USER, Vcsim.PASSWORD, TlsPolicy.pinned(wrong.toLowerCase().replace(":", "")));
        assertThatThrownBy(() -> Vim25Client.connect(e))
                .isInstanceOf(TunerException.class)
                .hasMessageContaining("presented a certificate with SHA-256 thumbprint " + sim.thumbprint)
                .hasMessageContaining("does not match the pinned thumbprint " + wrong);
    }

    @Test
    void rejectsMalformedThumbprintsBeforeConnecting() {
        assertThatThrownBy(() -> TlsPolicy.pinned("AB:CD")).hasMessageContaining("has 2 bytes; a SHA-256 thumbprint has 32");
        assertThatThrownBy(() -> TlsPolicy.pinned("00".repeat(20))).hasMessageContaining("SHA-1");
        assertThatThrownBy(() -> TlsPolicy.pinned("zz".repeat(32))).hasMessageContaining("not hexadecimal");
    }

    @Test
    void insecureAcceptsAnyCertificateWhenAskedExplicitly() {
        var e = new Vim25Client.Endpoint(sim.url, Vcsim.USER, Vcsim.PASSWORD, TlsPolicy.insecure());
        try (Vim25Client c = Vim25Client.connect(e)) {
            assertThat(c.serverName()).isNotBlank();
        }
        assertThat(TlsPolicy.insecure().isInsecure()).isTrue();
    }

    @Test
    void aWrongPasswordIsAnInvalidLoginFault() {
        var e = new Vim25Client.Endpoint(sim.url, Vcsim.USER, "wrong", TlsPolicy.pinned(sim.thumbprint));
        assertThatThrownBy(() -> Vim25Client.connect(e))
                .isInstanceOfSatisfying(VimFault.class, f -> assertThat(f.faultType()).isEqualTo("InvalidLogin"))
                // vcsim says "Login failure", vSphere "Cannot complete login due to an incorrect user name or password"
                .hasMessageStartingWith("InvalidLogin: ")
                .hasMessageEndingWith("logging in to " + sim.url + " as 'tuner'");
    }

    @Test
    void findsAVmByNameInventoryPathAndBiosUuid() throws Exception {
        JsonNode py = PyVmomi.read(sim, "DC0_H0_VM1");
        try (Vim25Client c = sim.connect()) {
            VmRef byName = c.findVm("DC0_H0_VM1");
            assertThat(c.findVm("DC0/vm/DC0_H0_VM1")).isEqualTo(byName);
            String uuid = uuidOf(c, byName);
            assertThat(c.findVm(uuid)).isEqualTo(byName);
            assertThat(byName.moRef().type()).isEqualTo("VirtualMachine");
            assertThat(py.get("name").asText()).isEqualTo(byName.name());
        }
    }

    private static String uuidOf(Vim25Client c, VmRef vm) {
        return c.retrieve("<specSet><propSet><type>VirtualMachine</type><pathSet>config.uuid</pathSet></propSet><objectSet>"
                + vm.moRef().toXml("obj") + "</objectSet></specSet>").get(0).text("config.uuid");
    }

    @Test
    void anUnknownVmIsReportedWithWhatWasSearched() {
        try (Vim25Client c = sim.connect()) {
            assertThatThrownBy(() -> c.findVm("DC0_H0_VM9"))
                    .hasMessageStartingWith("no VM named 'DC0_H0_VM9' on " + sim.url)
                    .hasMessageContaining("did you mean 'DC0_H0_VM");
            assertThatThrownBy(() -> c.findVm("DC0/vm/nope")).hasMessageStartingWith("no VM at inventory path 'DC0/vm/nope'");
            assertThatThrownBy(() -> c.findVm("DC0/host")).hasMessageContaining("is a Folder, not a VirtualMachine");
            assertThatThrownBy(() -> c.findVm("00000000-0000-0000-0000-000000000000"))
                    .hasMessageStartingWith("no VM with BIOS or instance UUID 00000000-0000-0000-0000-000000000000");
        }
    }

    @Test
    void readsTheSameConfigurationAsPyVmomi() throws Exception {
        JsonNode py = PyVmomi.read(sim, "DC0_H0_VM0");
        try (Vim25Client c = sim.connect()) {
            VmConfig cfg = c.readVm(c.findVm("DC0_H0_VM0"));
            assertThat(cfg.numCpu()).isEqualTo(py.get("numCPU").asInt());
            assertThat(cfg.numCoresPerSocket()).isEqualTo(py.get("numCoresPerSocket").asInt());
            assertThat(cfg.memoryMB()).isEqualTo(py.get("memoryMB").asLong());
            assertThat(cfg.powerState().wire()).isEqualTo(py.get("powerState").asText());
            assertThat(cfg.cpuHotAddEnabled()).isEqualTo(py.get("cpuHotAddEnabled").asBoolean());
            assertThat(cfg.extraConfig()).containsEntry("govcsim", py.get("extraConfig").get("govcsim").asText());
            List<String> ours = new ArrayList<>();
            for (Device d : cfg.devices()) {
                ours.add(d.type() + "/" + d.key() + "/" + d.controllerKey() + "/" + d.unitNumber() + "/" + d.busNumber() + "/" + d.macAddress());
            }
            List<String> theirs = new ArrayList<>();
            for (JsonNode d : py.get("devices")) {
                theirs.add(d.get("type").asText() + "/" + d.get("key").asInt() + "/" + text(d, "controllerKey") + "/"
                        + text(d, "unitNumber") + "/" + text(d, "busNumber") + "/" + text(d, "macAddress"));
            }
            assertThat(ours).containsExactlyElementsOf(theirs);
            Device nic = cfg.nics().get(0);
            assertThat(nic.backingType()).isEqualTo("VirtualEthernetCardDistributedVirtualPortBackingInfo");
            assertThat(cfg.scsiControllers()).extracting(Device::type).containsExactly("ParaVirtualSCSIController");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "null" : v.asText();
    }

    @Test
    void anUnknownPropertyIsAFaultNotAnEmptyValue() {
        try (Vim25Client c = sim.connect()) {
            VmRef vm = c.findVm("DC0_H0_VM0");
            assertThatThrownBy(() -> c.retrieve("<specSet><propSet><type>VirtualMachine</type><pathSet>config.noSuchThing</pathSet>"
                    + "</propSet><objectSet>" + vm.moRef().toXml("obj") + "</objectSet></specSet>"))
                    .isInstanceOf(VimFault.class)
                    .hasMessageContaining("InvalidProperty");
        }
    }

    @Test
    void aTaskThatFaultsGivesTheFaultTypeAndWhatFailed() {
        try (Vim25Client c = sim.connect()) {
            VmRef vm = c.findVm("DC0_H0_VM0");
            ConfigSpec bad = new ConfigSpec().deviceChange(DeviceChange.of(DeviceChange.Operation.EDIT,
                    "<device xsi:type=\"VirtualDisk\"><key>987654</key><controllerKey>202</controllerKey><unitNumber>5</unitNumber></device>",
                    "edit a disk that does not exist"));
            assertThatThrownBy(() -> c.reconfigure(vm, bad, TaskOptions.defaults()))
                    .isInstanceOfSatisfying(VimFault.class, f -> assertThat(f.faultType()).isEqualTo("InvalidDeviceSpec"))
                    .hasMessageStartingWith("InvalidDeviceSpec: ")
                    .hasMessageContaining("deviceIndex=0")
                    .hasMessageEndingWith("(task ReconfigVM_Task on DC0_H0_VM0 (" + vm.moRef().value() + "))");
            assertThatThrownBy(() -> c.powerOn(vm, TaskOptions.defaults()))
                    .hasMessageStartingWith("InvalidPowerState: ")
                    .hasMessageContaining("existingState=poweredOn");
        }
    }

    @Test
    void afterLogoutTheSessionIsGoneOnTheServer() {
        Vim25Client c = sim.connect();
        VmRef vm = c.findVm("DC0_H0_VM0");
        c.close();
        assertThatThrownBy(() -> c.readVm(vm))
                .isInstanceOfSatisfying(VimFault.class, f -> assertThat(f.faultType()).isEqualTo("NotAuthenticated"));
    }

    @Test
    void keepsTheSessionInTheVmwareSoapSessionCookie() {
        try (Vim25Client c = sim.connect()) {
            assertThat(c.soap().cookie()).isNotBlank();
            assertThat(c.findVm("DC0_H0_VM0").name()).isEqualTo("DC0_H0_VM0");
        }
    }

    @Test
    void callsAreRetriedWhenTheConnectionBreaksBeforeTheRequestIsSent() throws Exception {
        try (FlakyProxy proxy = new FlakyProxy(sim.url)) {
            var e = new Vim25Client.Endpoint(proxy.uri(), Vcsim.USER, Vcsim.PASSWORD, TlsPolicy.pinned(sim.thumbprint),
                    java.time.Duration.ofSeconds(20), 3, java.time.Duration.ofMillis(20));
            try (Vim25Client c = Vim25Client.connect(e)) {
                VmRef vm = c.findVm("DC0_H0_VM1");
                proxy.dropNext(2);
                assertThat(c.readVm(vm).numCpu()).isEqualTo(1);
                assertThat(proxy.dropped.get()).isEqualTo(2);

                // Reset during the TLS handshake: the request never left, so even a task is safe to re-send.
                proxy.dropNext(1);
                // dropNext also closed the pooled keep-alive connection; give the HTTP client a moment to
                // see that close. Otherwise the task may go out on the stale connection, whose failure the
                // client rightly treats as "maybe sent" and does not retry — the other case, not this one.
                Thread.sleep(500);
                c.powerOff(vm, TaskOptions.defaults());
                assertThat(proxy.dropped.get()).isEqualTo(3);
                assertThat(c.powerState(vm)).isEqualTo(PowerState.POWERED_OFF);

                proxy.dropNext(10);
                assertThatThrownBy(() -> c.readVm(vm))
                        // a reset may surface at connect or during the handshake, depending on timing
                        .hasMessageStartingWith("RetrievePropertiesEx: ")
                        .hasMessageContaining(proxy.uri().toString())
                        .hasMessageEndingWith("(after 4 attempts)");
            }
        }
    }
}
