package dev.tuner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.LabFiles.Snapshot;
import dev.tuner.testing.LabFiles;
import dev.tuner.testing.LabHosts.Host;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.Peers;
import dev.tuner.testing.TunerCli;
import dev.tuner.transport.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's "Done when", end to end: the real {@code tuner} command line (plan, apply, drift,
 * rollback) against lab hosts over SSH, for the docker, containerd, crio and template kinds and their
 * handlers. Everything the tool writes lands in the hosts' private {@code /etc}; services are a fake
 * {@code systemctl} written into each host's private {@code /root} (lab hosts have no systemd) that
 * logs its calls, so the tests count restarts, and can be told to fail {@code is-active}.
 *
 * <ul>
 *   <li>lab01, lab02: plan → apply → apply again → drift → rollback; lab01 gets the containerd
 *       drop-in, lab02 (whose main config already configures the CRI plugin) the in-place edit.</li>
 *   <li>lab03: invalid results refused before any write.</li>
 *   <li>lab04: a service that does not come back after its restart.</li>
 *   <li>lab05: the shipped playbooks/container-host.yml planned.</li>
 * </ul>
 */
class ContainerRuntimesLabTest {
    static final String DAEMON_JSON = "/etc/docker/daemon.json";
    static final String CONTAINERD_CONFIG = "/etc/containerd/config.toml";
    static final String CONTAINERD_DROPIN = "/etc/containerd/conf.d/60-tuner.toml";
    static final String CRIO_DROPIN = "/etc/crio/crio.conf.d/60-tuner.toml";
    static final String NEW_TEMPLATE_FILE = "/etc/tuner-e2e.conf";
    static final String OLD_TEMPLATE_FILE = "/etc/default/tuner-e2e";
    static final List<String> MANAGED = List.of(DAEMON_JSON, CONTAINERD_CONFIG, CONTAINERD_DROPIN, CRIO_DROPIN, NEW_TEMPLATE_FILE, OLD_TEMPLATE_FILE);

    /** Stand-in for systemctl: logs every call; `is-active ... NAME` fails while the file named in
     *  /root/is-active-fails-when.NAME (first word) contains the text after it. */
    static final String FAKE_SYSTEMCTL = """
            #!/bin/sh
            echo "$*" >> /root/systemctl.log
            if [ "$1" = is-active ]; then
              for name in "$@"; do :; done
              if [ -f "/root/is-active-fails-when.$name" ]; then
                read -r file text < "/root/is-active-fails-when.$name"
                if grep -qF -- "$text" "$file" 2>/dev/null; then echo "$name: failed (fake)" >&2; exit 3; fi
              fi
            fi
            exit 0
            """;

    /** lab01's daemon.json: four-space indentation, keys the playbook never names, one it removes (debug). */
    static final String LAB01_DAEMON_JSON = """
            {
                "debug": true,
                "data-root": "/srv/docker",
                "registry-mirrors": ["https://mirror.example.com"],
                "log-level": "warn",
                "default-address-pools": [
                    {"base": "172.30.0.0/16", "size": 24}
                ],
                "features": {"buildkit": true}
            }
            """;
    /** lab01: a main config that does not configure the CRI plugin, so tuner's keys go to the drop-in. */
    static final String LAB01_CONTAINERD = """
            version = 2
            root = "/var/lib/containerd"

            # the operator's own setting
            [plugins."io.containerd.internal.v1.opt"]
              path = "/opt/containerd"
            """;
    /** lab02: Debian's style, the CRI plugin's CNI configured in the main config: tuner edits it in place. */
    static final String LAB02_CONTAINERD = """
            version = 2

            [plugins."io.containerd.grpc.v1.cri".cni]
              bin_dir = "/usr/lib/cni"
              conf_dir = "/etc/cni/net.d"
            """;
    static final String LAB02_CRIO_DROPIN = "[crio.runtime]\ncgroup_manager = \"cgroupfs\"\n";
    static final String OLD_TEMPLATE_CONTENT = "# written by hand\nhost=old\n";

    static final String PLAYBOOK = """
            - name: container runtimes end to end
              hosts: lab01:lab02
              vars:
                purpose: containers
              tasks:
                - name: dockerd logs
                  docker:
                    log-driver: json-file
                    log-opts: {max-size: "100m", max-file: "3"}
                  notify: restart docker
                - name: dockerd pulls
                  docker:
                    max-concurrent-downloads: 10
                    absent: [debug]
                  notify: restart docker
                - name: containerd runc cgroups and pulls
                  containerd:
                    plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options.SystemdCgroup: true
                    plugins."io.containerd.grpc.v1.cri".max_concurrent_downloads: 10
                  notify: restart containerd
                - name: crio cgroups
                  crio:
                    crio.runtime.cgroup_manager: systemd
                    crio.runtime.conmon_cgroup: pod
                  notify: restart crio
                - name: a new rendered file
                  template: {src: templates/e2e.conf.ftl, dest: /etc/tuner-e2e.conf, mode: "0644", owner: root, group: root}
                - name: an existing file rendered over
                  template: {src: templates/e2e.conf.ftl, dest: /etc/default/tuner-e2e, mode: "0644", owner: root, group: root}
              handlers:
                - name: restart docker
                  service: {name: docker, state: restarted}
                - name: restart containerd
                  service: {name: containerd, state: restarted}
                - name: restart crio
                  service: {name: crio, state: restarted}
            """;
    static final String TEMPLATE = """
            # ${tuner_managed}
            host=${inventory_hostname}
            purpose=${purpose}
            """;

    static LabHosts lab;
    static LabFiles files;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() {
        lab = LabHosts.start(5);
        files = new LabFiles(lab);
        for (Host h : lab.hosts()) {
            files.put(h, "/root/fake-systemctl", FAKE_SYSTEMCTL, "0755");
            files.put(h, "/root/systemctl.log", "");
        }
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.stop();
    }

    // ------------------------------------------------------------------ helpers

    /** tuner with the lab's inventory plus one of ours that points tuner_systemctl at the fake. */
    TunerCli.Result tuner(String command, String... args) throws IOException {
        Path extra = tmp.resolve("fake-systemctl.yml");
        if (!Files.exists(extra)) Files.writeString(extra, "all:\n  vars:\n    tuner_systemctl: /root/fake-systemctl\n");
        List<String> argv = new ArrayList<>(List.of(command));
        argv.addAll(List.of(args));
        argv.addAll(List.of("-i", lab.inventoryFile().toString(), "-i", extra.toString()));
        if (!command.equals("plan") && !command.equals("drift") && !command.equals("facts")) argv.addAll(List.of("--journal", tmp.resolve("journal").toString()));
        // Measuring is VerifiedApplyTest's subject; these hosts have no container runtime to measure.
        if (command.equals("apply")) argv.add("--no-verify");
        TunerCli.Result r = TunerCli.run(argv);
        System.err.printf("[e2e] tuner %s: exit %d in %d ms%n", String.join(" ", argv), r.exitCode(), r.took().toMillis());
        return r;
    }

    Path playbook(String name, String text) throws IOException {
        Path pb = tmp.resolve(name);
        Files.writeString(pb, text);
        Files.createDirectories(tmp.resolve("templates"));
        Files.writeString(tmp.resolve("templates/e2e.conf.ftl"), TEMPLATE);
        return pb;
    }

    static List<String> systemctlCalls(Host h) {
        String log = LabFiles.ok(lab.exec(h, "cat /root/systemctl.log"), "read the fake systemctl's log in " + h);
        return log.lines().toList();
    }

    static long count(List<String> calls, String call) {
        return calls.stream().filter(call::equals).count();
    }

    static String runId(TunerCli.Result r) {
        Matcher m = Pattern.compile("\\b(\\d{8}-\\d{6}-[0-9a-f]{4})\\b").matcher(r.out() + r.err());
        String last = null;
        while (m.find()) last = m.group(1);
        return last;
    }

    /** containerd's own reading of a host's main config and its imports (run inside the host; the daemon is not started). */
    static String containerdDump(Host h) {
        ExecResult probe = lab.exec(h, "command -v containerd");
        Peers.require("containerd", probe.ok() ? null
                : "not installed (apt-get install -y containerd; only 'containerd config dump' is run, to check the merged config)");
        return LabFiles.ok(lab.exec(h, "containerd --config " + CONTAINERD_CONFIG + " config dump"), "containerd config dump in " + h);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void planApplyReapplyDriftAndRollbackOfRuntimeFilesWithHandlers() throws IOException {
        Host lab01 = lab.host("lab01");
        Host lab02 = lab.host("lab02");
        files.put(lab01, DAEMON_JSON, LAB01_DAEMON_JSON);
        files.put(lab01, CONTAINERD_CONFIG, LAB01_CONTAINERD);
        files.put(lab01, OLD_TEMPLATE_FILE, OLD_TEMPLATE_CONTENT, "0600");
        files.put(lab02, CONTAINERD_CONFIG, LAB02_CONTAINERD);
        files.put(lab02, CRIO_DROPIN, LAB02_CRIO_DROPIN, "0640");
        Map<String, Snapshot> before01 = files.readAll(lab01, MANAGED);
        Map<String, Snapshot> before02 = files.readAll(lab02, MANAGED);
        assertThat(before01.get(CONTAINERD_DROPIN).exists()).isFalse();
        assertThat(before02.get(DAEMON_JSON).exists()).isFalse();
        Path pb = playbook("runtimes.yml", PLAYBOOK);

        // plan: unified diffs of every file, nothing written, nothing restarted.
        TunerCli.Result plan = tuner("plan", pb.toString());
        assertThat(plan.exitCode()).as(plan.screen()).isEqualTo(2);
        String p01 = plan.host("lab01");
        assertThat(p01).as(plan.screen()).contains(
                "--- a/etc/docker/daemon.json", "+++ b/etc/docker/daemon.json",
                "-    \"debug\": true,", "+    \"max-concurrent-downloads\": 10",
                "--- /dev/null", "+++ b/etc/containerd/conf.d/60-tuner.toml", "+imports = [\"/etc/containerd/conf.d/60-tuner.toml\"]",
                "--- a/etc/containerd/config.toml", "+++ b/etc/containerd/config.toml",
                "+++ b/etc/crio/crio.conf.d/60-tuner.toml",
                "+++ b/etc/tuner-e2e.conf", "+host=lab01",
                // The old file is 0600 on the host: others may not read it, so neither its diff nor its content is shown.
                "~ file /etc/default/tuner-e2e  (modify)", "(diff hidden: a no_log task's values or a file others may not read; --show-secrets shows it)")
                .doesNotContain("-host=old");
        String p02 = plan.host("lab02");
        assertThat(p02).as(plan.screen()).contains(
                "--- /dev/null", "+++ b/etc/docker/daemon.json",
                "--- a/etc/containerd/config.toml", "+++ b/etc/containerd/config.toml", "+    max_concurrent_downloads = 10",
                // The crio drop-in is 0640 on the host: others may not read it, so its diff and its keys' values are hidden.
                "~ file /etc/crio/crio.conf.d/60-tuner.toml  (modify)", "crio.runtime.cgroup_manager  (hidden) → (hidden)")
                .doesNotContain("+++ b/etc/containerd/conf.d/60-tuner.toml").doesNotContain("cgroupfs");
        assertThat(p01).containsPattern("\\+ *SystemdCgroup = true");
        // Each change's cost is shown: these docker keys need a restart, max-concurrent-downloads a reload.
        assertThat(p01).containsPattern("log-driver .*\\[restart\\]").containsPattern("max-concurrent-downloads .*\\[reload\\]");
        files.assertUnchanged(lab01, before01, true, "after plan");
        files.assertUnchanged(lab02, before02, true, "after plan");
        assertThat(systemctlCalls(lab01)).as("plan restarts nothing").isEmpty();

        // apply: files merged, each handler once per host although two tasks notify 'restart docker'.
        TunerCli.Result apply = tuner("apply", pb.toString());
        assertThat(apply.exitCode()).as(apply.screen()).isZero();
        assertThat(apply.out()).contains("lab01 : ok=0  changed=6", "lab02 : ok=0  changed=6", "failed=0");
        String runId = runId(tuner("history"));
        assertThat(runId).isNotNull();
        for (Host h : List.of(lab01, lab02)) {
            List<String> calls = systemctlCalls(h);
            assertThat(calls).as("systemctl calls in %s", h)
                    .containsExactly("restart docker", "is-active --quiet docker", "restart containerd",
                            "is-active --quiet containerd", "restart crio", "is-active --quiet crio");
            assertThat(apply.host(h.name())).contains("HANDLER [restart docker] ran", "HANDLER [restart containerd] ran",
                    "HANDLER [restart crio] ran");
        }

        // daemon.json: valid JSON, unrelated keys kept with their values and order, four-space indentation kept.
        String dj = files.text(lab01, DAEMON_JSON);
        JsonNode merged = JSON.readTree(dj);
        JsonNode original = JSON.readTree(LAB01_DAEMON_JSON);
        for (String key : List.of("data-root", "registry-mirrors", "log-level", "default-address-pools", "features"))
            assertThat(merged.get(key)).as("unrelated key %s kept in\n%s", key, dj).isEqualTo(original.get(key));
        assertThat(merged.has("debug")).as("absent: [debug] removed it").isFalse();
        assertThat(merged.get("log-driver").asText()).isEqualTo("json-file");
        assertThat(merged.get("log-opts")).isEqualTo(JSON.readTree("{\"max-size\": \"100m\", \"max-file\": \"3\"}"));
        assertThat(merged.get("max-concurrent-downloads").asInt()).isEqualTo(10);
        List<String> keys = new ArrayList<>();
        merged.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("unrelated keys first, in their order").startsWith("data-root", "registry-mirrors", "log-level", "default-address-pools", "features");
        assertThat(dj).contains("\n    \"data-root\": \"/srv/docker\",\n").doesNotContain("\n  \"");
        JsonNode created = JSON.readTree(files.text(lab02, DAEMON_JSON));
        assertThat(created.get("log-driver").asText()).isEqualTo("json-file");

        // containerd: real containerd reads the merged configuration (main config plus drop-in).
        String dropin = files.text(lab01, CONTAINERD_DROPIN);
        assertThat(files.text(lab01, CONTAINERD_CONFIG)).contains("imports", CONTAINERD_DROPIN, "path = \"/opt/containerd\"");
        String dump01 = containerdDump(lab01);
        assertThat(dump01).as("containerd config dump in lab01; drop-in:\n%s", dropin)
                .contains(CONTAINERD_DROPIN, "SystemdCgroup = true", "max_concurrent_downloads = 10", "path = \"/opt/containerd\"",
                        "root = \"/var/lib/containerd\"");
        String main02 = files.text(lab02, CONTAINERD_CONFIG);
        assertThat(main02).as("in place, the rest kept byte for byte").startsWith(LAB02_CONTAINERD.strip());
        assertThat(containerdDump(lab02)).as("containerd config dump in lab02; config.toml:\n%s", main02)
                .contains("SystemdCgroup = true", "max_concurrent_downloads = 10", "bin_dir = \"/usr/lib/cni\"", "conf_dir = \"/etc/cni/net.d\"");
        assertThat(files.text(lab01, CRIO_DROPIN)).contains("cgroup_manager = \"systemd\"", "conmon_cgroup = \"pod\"");
        assertThat(files.read(lab01, OLD_TEMPLATE_FILE).stat()).startsWith("644 root:root ");
        assertThat(files.text(lab01, OLD_TEMPLATE_FILE)).contains("host=lab01\npurpose=containers\n");

        // apply again: nothing changes, so nothing is restarted.
        Map<String, Snapshot> applied01 = files.readAll(lab01, MANAGED);
        TunerCli.Result again = tuner("apply", pb.toString());
        assertThat(again.exitCode()).as(again.screen()).isZero();
        assertThat(again.out()).as(again.screen()).contains("lab01 : ok=6  changed=0", "lab02 : ok=6  changed=0").doesNotContain("HANDLER");
        for (Host h : List.of(lab01, lab02)) assertThat(count(systemctlCalls(h), "restart docker")).as("restarts in %s", h).isEqualTo(1);
        assertThat(systemctlCalls(lab01)).hasSize(6);
        files.assertUnchanged(lab01, applied01, true, "after a second apply");

        // drift: in sync; then a hand edit is drift, named.
        TunerCli.Result inSync = tuner("drift", pb.toString());
        assertThat(inSync.exitCode()).as(inSync.screen()).isZero();
        files.put(lab01, DAEMON_JSON, dj.replace("\"max-concurrent-downloads\": 10", "\"max-concurrent-downloads\": 3"));
        TunerCli.Result drifted = tuner("drift", pb.toString());
        assertThat(drifted.exitCode()).as(drifted.screen()).isEqualTo(2);
        assertThat(drifted.out()).as(drifted.screen()).contains("lab01", "max-concurrent-downloads").doesNotContain("lab02");

        // rollback refuses to overwrite a file changed since the run wrote it; put the applied file back first.
        files.put(lab01, DAEMON_JSON, dj);

        // rollback of the first apply: every file as it was, byte for byte; files it created are gone.
        TunerCli.Result rollback = tuner("rollback", runId);
        assertThat(rollback.exitCode()).as(rollback.screen()).isZero();
        files.assertUnchanged(lab01, before01, false, "after rollback");
        files.assertUnchanged(lab02, before02, false, "after rollback");
        // The services the run restarted are restarted again, on the restored files.
        for (Host h : List.of(lab01, lab02)) assertThat(count(systemctlCalls(h), "restart docker")).as("restarts in %s", h).isEqualTo(2);
        assertThat(rollback.out()).contains("HANDLER [docker restarted] ran");
    }

    @Test
    void invalidDaemonJsonResultsAreRefusedBeforeAnyWrite() throws IOException {
        Host lab03 = lab.host("lab03");
        String valid = "{\n  \"debug\": true,\n  \"log-opts\": {\"max-size\": \"10m\"}\n}\n";
        files.put(lab03, DAEMON_JSON, valid);
        Map<String, Snapshot> before = files.readAll(lab03, List.of(DAEMON_JSON));
        String handlers = """
                  handlers:
                    - name: restart docker
                      service: {name: docker, state: restarted}
                """;

        // Wrong types written in the playbook: refused before connecting, naming file, line, column and key.
        Path literal = playbook("wrong-types.yml", """
                - name: wrong types
                  hosts: lab03
                  tasks:
                    - name: dockerd
                      docker:
                        max-concurrent-downloads: "ten"
                        log-opts: {max-file: 3}
                      notify: restart docker
                """ + handlers);
        TunerCli.Result r = tuner("apply", literal.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).as(r.screen()).contains("wrong-types.yml:6:", "'max-concurrent-downloads' must be a whole number",
                "wrong-types.yml:7:", "'log-opts.max-file' must be a string");
        files.assertUnchanged(lab03, before, true, "after a playbook with wrong types");

        // A wrong type that only a host's variables produce: that host fails, its file untouched.
        Path templated = playbook("wrong-type-from-vars.yml", """
                - name: wrong type from vars
                  hosts: lab03
                  tasks:
                    - name: dockerd
                      docker:
                        max-concurrent-downloads: "{{ downloads }}"
                      notify: restart docker
                """ + handlers);
        r = tuner("apply", templated.toString(), "-e", "downloads=ten");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.host("lab03")).as(r.screen()).contains("FAILED", "'max-concurrent-downloads' must be a whole number, got a string \"ten\"");
        assertThat(r.out()).contains("lab03 : ok=0  changed=0  unreachable=0  failed=1");
        files.assertUnchanged(lab03, before, true, "after a templated wrong type");

        // An existing daemon.json that is not valid JSON: the task fails, the file is left alone.
        String broken = "{\n  \"debug\": true,\n  \"data-root\": \"/srv\"\n";
        files.put(lab03, DAEMON_JSON, broken);
        before = files.readAll(lab03, List.of(DAEMON_JSON));
        // (-e as JSON: '-e downloads=4' gives the string "4", which the docker kind refuses for this key; see the report.)
        r = tuner("apply", templated.toString(), "-e", "{\"downloads\": 4}");
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.host("lab03")).as(r.screen()).contains("FAILED", "/etc/docker/daemon.json:4:1: not valid JSON", "nothing will be written to it")
                .doesNotContain("REDACTED");
        files.assertUnchanged(lab03, before, true, "after apply on an invalid daemon.json");
        assertThat(systemctlCalls(lab03)).as("nothing changed, nothing restarted").isEmpty();
    }

    @Test
    void aServiceThatDoesNotComeBackGetsItsPreviousFilesAndIsRestartedAgain() throws IOException {
        Host lab04 = lab.host("lab04");
        files.put(lab04, DAEMON_JSON, "{\n  \"labels\": [\"role=worker\"],\n  \"data-root\": \"/srv/docker\"\n}\n");
        // dockerd "fails" while its daemon.json carries this label.
        files.put(lab04, "/root/is-active-fails-when.docker", DAEMON_JSON + " breaks-dockerd\n");
        Map<String, Snapshot> before = files.readAll(lab04, List.of(DAEMON_JSON));
        Path pb = playbook("breaks-dockerd.yml", """
                - name: a label dockerd will not start with
                  hosts: lab04
                  tasks:
                    - name: labels
                      docker:
                        labels: ["tuner-e2e=breaks-dockerd"]
                      notify: restart docker
                    - name: and a download limit
                      docker:
                        max-concurrent-downloads: 7
                      notify: restart docker
                  handlers:
                    - name: restart docker
                      service: {name: docker, state: restarted}
                """);
        TunerCli.Result r = tuner("apply", pb.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        String out = r.host("lab04");
        assertThat(out).as(r.screen()).contains("FAILED", "handler 'restart docker'", "service docker did not restart",
                "reverted to its previous state", "service restarted on the previous configuration");
        assertThat(r.out()).contains("lab04 : ", "failed=1");
        files.assertUnchanged(lab04, before, false, "after the failed restart");
        assertThat(systemctlCalls(lab04)).as("restarted on the new file (fails), then again on the previous one")
                .containsExactly("restart docker", "is-active --quiet docker", "restart docker", "is-active --quiet docker");
    }

    @Test
    void shippedContainerHostPlaybookPlansAgainstALabHost() throws IOException {
        Host lab05 = lab.host("lab05");
        TunerCli.Result facts = tuner("facts", "lab05");
        assertThat(facts.exitCode()).as(facts.screen()).isZero();
        Matcher m = Pattern.compile("container_runtimes = ?(.*)").matcher(facts.out());
        assertThat(m.find()).as(facts.screen()).isTrue();
        List<String> runtimes = List.of(m.group(1).strip().split("\\s+"));
        Map<String, Snapshot> before = files.readAll(lab05, List.of(DAEMON_JSON, CONTAINERD_CONFIG, CONTAINERD_DROPIN, CRIO_DROPIN, "/etc/crictl.yaml"));

        Path pb = Path.of(System.getProperty("tuner.repo", ".."), "playbooks/container-host.yml");
        TunerCli.Result plan = tuner("plan", pb.toString(), "--limit", "lab05");
        String out = plan.host("lab05");
        assertThat(plan.exitCode()).as(plan.screen()).isEqualTo(runtimes.isEmpty() || runtimes.equals(List.of("")) ? 0 : 2);
        for (String rt : List.of("docker", "containerd", "crio")) {
            String skip = "skipped: condition is false: facts.container_runtimes?seq_contains(\"" + rt + "\")";
            if (runtimes.contains(rt)) assertThat(out).as("%s is installed (facts: %s)\n%s", rt, runtimes, plan.screen()).doesNotContain(skip);
            else assertThat(out).as("%s is not installed (facts: %s)\n%s", rt, runtimes, plan.screen()).contains(skip);
        }
        if (runtimes.contains("docker")) assertThat(out).contains("+++ b/etc/docker/daemon.json", "\"log-driver\": \"json-file\"");
        if (runtimes.contains("containerd")) assertThat(out).contains("+++ b/etc/containerd/conf.d/60-tuner.toml", "SystemdCgroup = true", "+++ b/etc/crictl.yaml");
        files.assertUnchanged(lab05, before, true, "after plan");

        // --tags crio: only the CRI-O tasks are considered (planned, or skipped with the condition named).
        TunerCli.Result crio = tuner("plan", pb.toString(), "--limit", "lab05", "--tags", "crio");
        assertThat(crio.host("lab05")).as(crio.screen()).contains("CRI-O - systemd cgroups").doesNotContain("dockerd -");
    }
}
