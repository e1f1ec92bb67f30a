package dev.tuner.transport;

import com.jcraft.jsch.HostKeyRepository;
import dev.tuner.testing.TestSshd;
import dev.tuner.transport.ssh.KnownHostsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** known_hosts matching rules, on keys made by ssh-keygen (no sshd needed). */
class KnownHostsFileTest {
    @TempDir
    Path tmp;

    private byte[] newKey(String name) throws Exception {
        Path k = TestSshd.keygen(tmp.resolve(name), "ed25519", "");
        return Base64.getDecoder().decode(Files.readString(Path.of(k + ".pub")).split("\\s+")[1]);
    }

    private static String b64(byte[] k) {
        return Base64.getEncoder().encodeToString(k);
    }

    @Test
    void wildcardsNegationPortsAndRevocation() throws Exception {
        byte[] key = newKey("a");
        byte[] revoked = newKey("b");
        Path f = tmp.resolve("known_hosts");
        Files.writeString(f, String.join("\n",
                "# fleet",
                "*.db.example.com,!legacy.db.example.com ssh-ed25519 " + b64(key) + " comment",
                "[bastion]:2222 ssh-ed25519 " + b64(key),
                "@revoked * ssh-ed25519 " + b64(revoked),
                ""));
        KnownHostsFile kh = new KnownHostsFile(f, false, "x");
        assertThat(kh.check("pg1.db.example.com", key)).isEqualTo(HostKeyRepository.OK);
        assertThat(kh.check("legacy.db.example.com", key)).isEqualTo(HostKeyRepository.NOT_INCLUDED);
        assertThat(kh.check("bastion", key)).as("port 22 is not [bastion]:2222").isEqualTo(HostKeyRepository.NOT_INCLUDED);
        assertThat(kh.check("[bastion]:2222", key)).isEqualTo(HostKeyRepository.OK);
        assertThat(kh.check("pg1.db.example.com", revoked)).isEqualTo(HostKeyRepository.CHANGED);
        assertThat(kh.refusal()).contains("revoked").contains(f + " line 4");
    }

    @Test
    void fingerprintMatchesSshKeygen() throws Exception {
        byte[] key = newKey("c");
        String expected = TestSshd.run("ssh-keygen", "-l", "-E", "sha256", "-f", tmp.resolve("c.pub").toString())
                .split("\\s+")[1];
        assertThat(KnownHostsFile.fingerprint(key)).isEqualTo(expected);
        assertThat(KnownHostsFile.keyType(key)).isEqualTo("ssh-ed25519");
    }
}
