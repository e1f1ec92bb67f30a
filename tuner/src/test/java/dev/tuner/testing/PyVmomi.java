package dev.tuner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** pyVmomi (Debian's python3-pyvmomi) as an independent second client of the same vcsim. */
public final class PyVmomi {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private PyVmomi() {}

    public static JsonNode read(Vcsim sim, String vm) throws Exception {
        return run(sim, vm, "read");
    }

    /** Changes the VM as another tool would: "numCPUs=4", "memoryMB=64", or an extraConfig "key=value". */
    public static JsonNode set(Vcsim sim, String vm, String... assignments) throws Exception {
        List<String> args = new ArrayList<>(List.of("set"));
        args.addAll(List.of(assignments));
        return run(sim, vm, args.toArray(String[]::new));
    }

    /** Powers the VM off (if on) and marks it as a template, which vSphere cannot reconfigure. */
    public static JsonNode makeTemplate(Vcsim sim, String vm) throws Exception {
        return run(sim, vm, "template");
    }

    private static JsonNode run(Vcsim sim, String vm, String... action) throws Exception {
        boolean available = Files.isExecutable(PYTHON)
                && new ProcessBuilder(PYTHON.toString(), "-c", "import pyVmomi").start().waitFor() == 0;
        Peers.require("pyVmomi", available ? null : "not installed for /usr/bin/python3 (apt-get install -y python3-pyvmomi)");
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), Repo.root().resolve("tuner/src/test/vcsim/pyvmomi_vm.py").toString(),
                sim.url.getHost(), Integer.toString(sim.url.getPort()), Vcsim.USER, Vcsim.PASSWORD, sim.certFile.toString(), vm));
        cmd.addAll(List.of(action));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("pyvmomi_vm.py failed: " + err.join() + out);
        }
        return new ObjectMapper().readTree(out);
    }
}
