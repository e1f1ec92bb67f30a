package dev.tuner.settings.vmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The check of a vmx key and value without a VM. */
class VmxValuesTest {
    @Test
    void valuesComeOutAsTheVmxWritesThem() {
        assertThat(VmxValues.check("MEM.HotAdd", "yes")).isEqualTo("TRUE");
        assertThat(VmxValues.check("scsi0.virtualDev", "PVSCSI")).isEqualTo("pvscsi");
        assertThat(VmxValues.check("memsize", " 4096 ")).isEqualTo("4096");
        assertThat(VmxValues.check("disk.EnableUUID", "")).as("empty removes an advanced setting").isNull();
    }

    @Test
    void aBadKeyAndABadValueSayWhichOfTheTwoIsWrong() {
        assertThatThrownBy(() -> VmxValues.check("ethernet0.present", "TRUE"))
                .isInstanceOfSatisfying(VmxSpecException.class, e -> assertThat(e.part()).isEqualTo(VmxSpecException.Part.KEY));
        assertThatThrownBy(() -> VmxValues.check("bad key!", "1"))
                .isInstanceOfSatisfying(VmxSpecException.class, e -> assertThat(e.part()).isEqualTo(VmxSpecException.Part.KEY));
        // A value that reads like a key error is still the value's fault.
        assertThatThrownBy(() -> VmxValues.check("scsi0.virtualDev", "describes a device"))
                .isInstanceOfSatisfying(VmxSpecException.class, e -> assertThat(e.part()).isEqualTo(VmxSpecException.Part.VALUE));
        assertThatThrownBy(() -> VmxValues.check("memsize", "1001"))
                .isInstanceOfSatisfying(VmxSpecException.class, e -> assertThat(e.part()).isEqualTo(VmxSpecException.Part.VALUE));
    }
}
