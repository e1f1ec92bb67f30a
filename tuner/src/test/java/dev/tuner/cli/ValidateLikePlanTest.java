package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tuner validate} refuses what {@code plan} would refuse on the input alone, before any
 * host is asked, and never prints a password it finds where it should not be.
 */
class ValidateLikePlanTest {
    private static final String SECRET = "S3cr3t-PW";

    @TempDir
    Path dir;

    private Path playbook(String vars, String task) throws Exception {
        Path p = dir.resolve("site.yml");
        Files.writeString(p, "- name: vm settings\n  hosts: all\n" + vars + "  tasks:\n    - " + task + "\n");
        return p;
    }

    private Path inventory(String vsphere) throws Exception {
        Path inv = dir.resolve("inv.yml");
        Files.writeString(inv, """
                all:
                  vars:
                    ansible_connection: local
                    vsphere: %s
                  hosts:
                    vm1: {vsphere_vm: db01}
                    vm2: {vsphere_vm: db02}
                """.formatted(vsphere));
        return inv;
    }

    @Test
    void aPasswordInTheInventorysVsphereVariableIsRefusedByValidate() throws Exception {
        Path pb = playbook("", "vmx: {numvcpus: 4}");
        Path inv = inventory("{url: \"https://vc.example.com\", user: svc, password: " + SECRET + "}");
        TunerCli.Result r = TunerCli.run("validate", pb.toString(), "-i", inv.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains("-i " + inv + ": host vm1 (and 1 more) of play 'vm settings': vsphere: 'password' is refused")
                .doesNotContain(SECRET);
    }

    @Test
    void aPasswordInPlayVarsIsRefusedWithoutAnInventory() throws Exception {
        Path pb = playbook("  vars:\n    vsphere: {url: \"https://vc.example.com\", user: svc, password: " + SECRET + "}\n",
                "vmx: {numvcpus: 4}");
        TunerCli.Result r = TunerCli.run("validate", pb.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains(TunerCli.displayed(pb) + ":1:3: play 'vm settings': vsphere: 'password' is refused");
    }

    @Test
    void credentialsInTheVsphereUrlAreRefusedAndNeverShown() throws Exception {
        Path pb = playbook("", "vmx: {numvcpus: 4}");
        Path inv = inventory("{url: \"https://svc:" + SECRET + "@vc.example.com/sdk\", user: svc, password_env: TUNER_TEST_UNSET}");
        TunerCli.Result validate = TunerCli.run("validate", pb.toString(), "-i", inv.toString());
        assertThat(validate.exitCode()).as(validate.screen()).isEqualTo(1);
        assertThat(validate.err()).contains("vsphere: url https://vc.example.com/sdk must not hold a user or password");
        assertThat(validate.screen()).doesNotContain(SECRET);

        TunerCli.Result plan = TunerCli.run("plan", pb.toString(), "-i", inv.toString(), "--no-color");
        assertThat(plan.exitCode()).as(plan.screen()).isEqualTo(1);
        assertThat(plan.out()).contains("must not hold a user or password");
        assertThat(plan.screen()).doesNotContain(SECRET);
    }

    @Test
    void aCarriageReturnInASysctlValueIsRefusedWhereItStands() throws Exception {
        Path pb = playbook("", "sysctl: {vm.swappiness: \"10\\r\"}");
        TunerCli.Result r = TunerCli.run("validate", pb.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains(TunerCli.displayed(pb) + ":4:31: sysctl: value of 'vm.swappiness' must be one line");
    }

    /** A value no kind's own check looks at closely still meets the kind's reading of it, as plan would. */
    @Test
    void whatAKindWouldRefuseAtPlanIsRefusedAtValidate() throws Exception {
        Path pb = playbook("", "sysctl: {net.ipv4.tcp_rmem: [4096, \"65536\\r\", 6291456]}");
        TunerCli.Result r = TunerCli.run("validate", pb.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains(TunerCli.displayed(pb) + ":4:15: sysctl: value of 'net.ipv4.tcp_rmem': a sysctl value must be one line");
    }

    @Test
    void aControlCharacterInTheYamlIsNamedWithItsPlace() throws Exception {
        Path pb = playbook("", "sysctl: {vm.swappiness: \"1\u00010\"}");
        TunerCli.Result r = TunerCli.run("validate", pb.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains(TunerCli.displayed(pb) + ":4:33: YAML syntax error: character U+0001 is not allowed in YAML");
    }
}
