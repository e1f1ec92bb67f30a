package dev.tuner.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's real Ansible (package 'ansible-core' or 'ansible') as the reference. Missing
 * Ansible fails the test in CI and skips it elsewhere, saying why ({@link Peers}).
 */
public final class RealAnsible {
    public static final Path ANSIBLE_INVENTORY = Path.of("/usr/bin/ansible-inventory");
    /** The interpreter Debian's Ansible runs on (a python3 earlier on PATH may lack the ansible module). */
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private RealAnsible() {}

    public static void requireInstalled() {
        Peers.require("Ansible", Files.isExecutable(ANSIBLE_INVENTORY) ? null
                : ANSIBLE_INVENTORY + " is missing: install it with 'apt-get install -y ansible-core'");
    }

    /** Runs a command with Ansible's noise turned off and a private HOME; returns stdout, failing on a non-zero exit. */
    public static String run(Path home, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "False");
        pb.environment().put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "False");
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("ANSIBLE_CONFIG");
        pb.directory(home.toFile());
        Path err = home.resolve("stderr.txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) fail(command + " exited " + p.exitValue() + ": " + Files.readString(err));
        return out;
    }
}
