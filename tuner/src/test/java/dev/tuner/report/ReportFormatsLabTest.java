package dev.tuner.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.ExpositionFormat;
import dev.tuner.testing.HostState;
import dev.tuner.testing.LabHosts.Host;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.OutputCheckers;
import dev.tuner.testing.Shipped;
import dev.tuner.testing.TunerCli;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every report format as its reader uses it: real {@code tuner plan} and {@code tuner drift} of two
 * lab hosts (lab02 without cpufreq) and, for the error cases, a host that refuses connections and a
 * sysctl key no kernel has. What each setting should show comes from the hosts themselves (their
 * /proc/sys and cpufreq files, read through {@code lab/lab exec}) and from the files the test seeded;
 * the outputs are read by a JSON parser, an XML parser, a strict reader of the Prometheus text
 * format, Markdown table rules, and GNU patch.
 *
 * <p>The playbook sits in a directory named {@code R&D "ops"}: its path appears in the JUnit suite
 * name and a Prometheus label, where {@code &} and {@code "} must be escaped to parse.
 */
class ReportFormatsLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE_CONF = "/etc/sysctl.d/50-site.conf";
    private static final String MANAGED = "/etc/sysctl.d/60-tuner.conf";
    private static final String LAB01_SITE = "# site defaults, written by hand\nvm.swappiness = 10\nvm.dirty_ratio = 30\n";
    private static final String LAB02_SITE = "vm.dirty_ratio = 15\n";
    private static final String LAB02_MANAGED = "# Managed by tuner: this file is rewritten on every apply; change the playbook instead.\nvm.swappiness = 5\n";
    private static final String MEMORY_TASK = "Memory | swap and writeback";
    private static final String BACKLOG_TASK = "Listen backlog";
    private static final String GOVERNOR_TASK = "Full speed";
    private static final String PLAYBOOK = """
            - name: Report formats
              hosts: lab
              tasks:
                - name: "Memory | swap and writeback"
                  sysctl:
                    vm.swappiness: 10
                    vm.dirty_ratio: 15
                - name: Listen backlog
                  sysctl:
                    net.core.somaxconn: 4096
                - name: Full speed
                  governor: performance
            """;
    /** A second play checking keys of the first again, one with the same value, one with another. */
    private static final String AGAIN_PLAY = """
            - name: Again
              hosts: lab
              tasks:
                - name: Same swappiness
                  sysctl:
                    vm.swappiness: 10
                - name: Other backlog
                  sysctl:
                    net.core.somaxconn: 1024
            """;
    private static final String IMAGINARY_PLAY = """
            - name: A key no kernel has
              hosts: lab02
              tasks:
                - name: Imaginary
                  sysctl:
                    vm.tuner_imaginary_key: 1
            """;

    @TempDir
    static Path tmp;
    static LabHosts lab;
    static Path playbook;
    static Path withErrors;
    static Path twoPlays;
    static Path otherPlaybook;
    static String inventory;
    static String ghostInventory;
    static Instant started;
    static Instant finished;
    static List<Expected> expected;
    static TunerCli.Result driftJson;
    static TunerCli.Result driftText;
    static TunerCli.Result driftJunit;
    static TunerCli.Result driftProm;
    static TunerCli.Result errorsJson;
    static TunerCli.Result errorsJunit;
    static TunerCli.Result errorsProm;
    static TunerCli.Result errorsText;
    static TunerCli.Result planJson;
    static TunerCli.Result planText;
    static TunerCli.Result planMarkdown;
    static TunerCli.Result twoPlaysProm;
    static TunerCli.Result otherPlaybookProm;

    /** One setting of one host as a reader of any report should find it. */
    record Expected(String host, String task, String kind, String key, String desired, String running, String persisted,
                    boolean runningDrift, boolean persistedDrift, boolean unsupported) {
        boolean drifted() {
            return runningDrift || persistedDrift;
        }

        String id() {
            return host + " " + kind + " " + key;
        }
    }

    @BeforeAll
    static void seedTheHostsAndRunEveryReport() throws IOException {
        lab = LabHosts.start(2, "--no-cpufreq-on", "lab02");
        Host lab01 = lab.host("lab01");
        Host lab02 = lab.host("lab02");
        // lab01: swappiness in sync running and persisted (by a site file), dirty_ratio persisted as 30,
        // somaxconn in sync running but persisted nowhere.
        HostState.ok(lab.exec(lab01, "echo 10 > /proc/sys/vm/swappiness && echo 4096 > /proc/sys/net/core/somaxconn"));
        write(lab01, SITE_CONF, LAB01_SITE);
        // lab02: an older managed drop-in persists swappiness 5, a site file dirty_ratio 15 (running 20);
        // somaxconn drifted at runtime.
        HostState.ok(lab.exec(lab02, "echo 1024 > /proc/sys/net/core/somaxconn"));
        write(lab02, SITE_CONF, LAB02_SITE);
        write(lab02, MANAGED, LAB02_MANAGED);
        for (Host h : lab.hosts()) {
            // Nothing but the seeded files may persist these keys, or the expectations below are wrong.
            String others = HostState.ok(lab.exec(h, "grep -lsE '^[[:space:]]*-?(vm.swappiness|vm.dirty_ratio|net.core.somaxconn)[[:space:]]*='"
                    + " /etc/sysctl.conf /etc/sysctl.d/*.conf /run/sysctl.d/*.conf /usr/local/lib/sysctl.d/*.conf"
                    + " /usr/lib/sysctl.d/*.conf /lib/sysctl.d/*.conf || true"));
            assertThat(others.lines().filter(l -> !l.equals(SITE_CONF) && !l.equals(MANAGED)).toList())
                    .as("files on %s that persist the test's keys", h).isEmpty();
        }

        Path dir = Files.createDirectories(tmp.resolve("R&D \"ops\""));
        playbook = HostState.playbook(dir, "formats.yml", PLAYBOOK);
        withErrors = HostState.playbook(dir, "with-errors.yml", PLAYBOOK + IMAGINARY_PLAY);
        twoPlays = HostState.playbook(dir, "two-plays.yml", PLAYBOOK + AGAIN_PLAY);
        otherPlaybook = HostState.playbook(dir, "other.yml", PLAYBOOK);
        inventory = lab.inventoryFile().toString();
        // A lab host whose port refuses connections: unreachable at once.
        ghostInventory = HostState.playbook(tmp, "ghost.yml", """
                lab:
                  hosts:
                    ghost:
                      ansible_host: 127.0.0.1
                      ansible_port: %d
                      ansible_user: root
                """.formatted(Shipped.freePort())).toString();

        expected = expectations(lab01, lab02);
        started = Instant.now();
        driftJson = TunerCli.run("drift", playbook.toString(), "-i", inventory, "--format", "json");
        driftText = TunerCli.run("drift", playbook.toString(), "-i", inventory, "--no-color");
        driftJunit = TunerCli.run("drift", playbook.toString(), "-i", inventory, "--format", "junit");
        driftProm = TunerCli.run("drift", playbook.toString(), "-i", inventory, "--format", "prometheus");
        errorsJson = TunerCli.run("drift", withErrors.toString(), "-i", inventory, "-i", ghostInventory, "--format", "json");
        errorsText = TunerCli.run("drift", withErrors.toString(), "-i", inventory, "-i", ghostInventory, "--no-color");
        errorsJunit = TunerCli.run("drift", withErrors.toString(), "-i", inventory, "-i", ghostInventory, "--format", "junit");
        errorsProm = TunerCli.run("drift", withErrors.toString(), "-i", inventory, "-i", ghostInventory, "--format", "prometheus");
        planJson = TunerCli.run("plan", playbook.toString(), "-i", inventory, "--format", "json");
        planText = TunerCli.run("plan", playbook.toString(), "-i", inventory, "--no-color");
        planMarkdown = TunerCli.run("plan", playbook.toString(), "-i", inventory, "--format", "markdown");
        twoPlaysProm = TunerCli.run("drift", twoPlays.toString(), "-i", inventory, "--format", "prometheus");
        otherPlaybookProm = TunerCli.run("drift", otherPlaybook.toString(), "-i", inventory, "--format", "prometheus");
        finished = Instant.now();
    }

    @AfterAll
    static void stopTheLab() {
        if (lab != null) lab.stop();
    }

    /** What each host has, read on the host; what it should have, from the playbook; drift by the documented rules. */
    static List<Expected> expectations(Host lab01, Host lab02) {
        Map<String, Map<String, String>> persisted = Map.of(
                "lab01", Map.of("vm.swappiness", "10", "vm.dirty_ratio", "30"),
                "lab02", Map.of("vm.swappiness", "5", "vm.dirty_ratio", "15"));
        Map<String, String> desired = new LinkedHashMap<>();
        desired.put("vm.swappiness", "10");
        desired.put("vm.dirty_ratio", "15");
        desired.put("net.core.somaxconn", "4096");
        List<Expected> out = new ArrayList<>();
        for (Host h : List.of(lab01, lab02)) {
            for (Map.Entry<String, String> e : desired.entrySet()) {
                String running = HostState.sysctl(lab, h, e.getKey());
                String saved = persisted.get(h.name()).get(e.getKey());
                out.add(new Expected(h.name(), e.getKey().equals("net.core.somaxconn") ? BACKLOG_TASK : MEMORY_TASK, "sysctl",
                        e.getKey(), e.getValue(), running, saved, !e.getValue().equals(running), !e.getValue().equals(saved), false));
            }
            String governors = HostState.ok(lab.exec(h,
                    "cat /sys/devices/system/cpu/cpufreq/policy*/scaling_governor 2>/dev/null | sort -u")).strip();
            // Lab hosts have systemd installed but not running (lab/README.md: units can be written,
            // not started), so the governor's boot unit can persist it; none was written yet.
            boolean cpufreq = !governors.isEmpty();
            out.add(new Expected(h.name(), GOVERNOR_TASK, "governor", "governor", "performance",
                    cpufreq ? governors : null, null, cpufreq && !governors.equals("performance"), cpufreq, !cpufreq));
        }
        assertThat(out).as("the seeded hosts give every case: in sync, running only, persisted only, both, unsupported")
                .anyMatch(e -> !e.drifted() && !e.unsupported())
                .anyMatch(e -> e.runningDrift() && !e.persistedDrift())
                .anyMatch(e -> !e.runningDrift() && e.persistedDrift())
                .anyMatch(e -> e.runningDrift() && e.persistedDrift())
                .anyMatch(Expected::unsupported);
        return out;
    }

    static List<Expected> checked() {
        return expected.stream().filter(e -> !e.unsupported()).toList();
    }

    // ------------------------------------------------------------------ drift: JSON

    @Test
    void driftJsonNamesEverySettingAsTheHostHasIt() throws IOException {
        assertThat(driftJson.exitCode()).as(driftJson.screen()).isEqualTo(2);
        JsonNode doc = JSON.readTree(driftJson.out());
        assertThat(doc.get("format_version").asInt()).isEqualTo(1);
        assertThat(doc.get("playbook").asText()).isEqualTo(TunerCli.displayed(playbook));
        assertThat(Instant.parse(doc.get("checked_at").asText())).isBetween(started, finished);
        assertThat(doc.get("in_sync").asBoolean()).isFalse();
        assertThat(doc.get("drifted").asLong()).isEqualTo(checked().stream().filter(Expected::drifted).count());
        assertThat(doc.get("errors")).isEmpty();

        Map<String, JsonNode> settings = new TreeMap<>();
        for (JsonNode s : doc.get("settings")) {
            String id = s.get("host").asText() + " " + s.get("kind").asText() + " " + s.get("key").asText();
            assertThat(settings.put(id, s)).as("%s listed once", id).isNull();
        }
        assertThat(settings.keySet()).as("every setting checked, unsupported ones left out")
                .containsExactlyInAnyOrderElementsOf(checked().stream().map(Expected::id).toList());
        for (Expected e : checked()) {
            JsonNode s = settings.get(e.id());
            assertThat(s.get("task").asText()).as("%s task", e.id()).isEqualTo(e.task());
            assertThat(s.get("expected").asText()).as("%s expected", e.id()).isEqualTo(e.desired());
            assertThat(text(s.get("running"))).as("%s running", e.id()).isEqualTo(e.running());
            assertThat(text(s.get("persisted"))).as("%s persisted", e.id()).isEqualTo(e.persisted());
            assertThat(s.get("running_drift").asBoolean()).as("%s running_drift", e.id()).isEqualTo(e.runningDrift());
            assertThat(s.get("persisted_drift").asBoolean()).as("%s persisted_drift", e.id()).isEqualTo(e.persistedDrift());
            assertThat(s.get("error").isNull()).as("%s error", e.id()).isTrue();
        }
    }

    @Test
    void driftJsonListsAnUnreachableHostAndAnUncheckableSettingAsErrors() throws IOException {
        assertThat(errorsJson.exitCode()).as("an error wins over drift\n%s", errorsJson.screen()).isEqualTo(1);
        JsonNode doc = JSON.readTree(errorsJson.out());
        assertThat(doc.get("in_sync").asBoolean()).isFalse();
        assertThat(doc.get("drifted").asLong()).as("a setting that could not be checked has not drifted")
                .isEqualTo(checked().stream().filter(Expected::drifted).count());
        assertThat(doc.get("errors")).hasSize(1);
        assertThat(doc.get("errors").get(0).get("host").asText()).isEqualTo("ghost");
        assertThat(doc.get("errors").get(0).get("error").asText()).startsWith("unreachable: ");
        List<JsonNode> failed = new ArrayList<>();
        doc.get("settings").forEach(s -> {
            if (!s.get("error").isNull()) failed.add(s);
        });
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("host").asText()).isEqualTo("lab02");
        assertThat(failed.get(0).get("key").asText()).isEqualTo("vm.tuner_imaginary_key");
        assertThat(failed.get(0).get("error").asText()).contains("/proc/sys/vm/tuner_imaginary_key");
        assertThat(failed.get(0).get("running_drift").asBoolean()).isFalse();
    }

    // ------------------------------------------------------------------ drift: JUnit XML

    @Test
    void junitXmlParsesAndCountsEachDriftAsAFailure() throws Exception {
        assertThat(driftJunit.exitCode()).as(driftJunit.screen()).isEqualTo(2);
        Document doc = xml(driftJunit.out());
        Map<String, Element> cases = testcases(doc);
        assertThat(cases.keySet()).containsExactlyInAnyOrderElementsOf(checked().stream().map(Expected::id).toList());
        long drifted = checked().stream().filter(Expected::drifted).count();
        for (Expected e : checked()) {
            Element c = cases.get(e.id());
            NodeList failures = c.getElementsByTagName("failure");
            assertThat(failures.getLength()).as("%s fails exactly when it drifted", e.id()).isEqualTo(e.drifted() ? 1 : 0);
            assertThat(c.getElementsByTagName("error").getLength()).as("%s has no error", e.id()).isZero();
            if (e.drifted()) {
                String message = ((Element) failures.item(0)).getAttribute("message");
                assertThat(message).as(e.id()).contains("expected " + e.desired(), "running " + show(e.running()),
                        "persisted " + show(e.persisted()));
            }
        }
        assertCounts(doc, "testsuite", checked().size(), drifted, 0);
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("name")).as("the playbook path, with & and \" in it").isEqualTo("drift " + TunerCli.displayed(playbook));
        Instant timestamp = LocalDateTime.parse(suite.getAttribute("timestamp")).toInstant(ZoneOffset.UTC);
        assertThat(timestamp).as("UTC, to the second").isBetween(started.truncatedTo(ChronoUnit.SECONDS), finished);
        assertThat(new BigDecimal(suite.getAttribute("time"))).as("the check's duration in seconds")
                .isBetween(BigDecimal.ZERO, BigDecimal.valueOf(Duration.between(started, finished).toMillis() / 1000.0));
        assertThat(OutputCheckers.junitSchemaProblems(driftJunit.out())).as("valid against the Ant JUnit schema\n%s", driftJunit.out()).isEmpty();
    }

    @Test
    void junitXmlCountsAnUnreachableHostAndAnUncheckableSettingAsErrors() throws Exception {
        assertThat(errorsJunit.exitCode()).as(errorsJunit.screen()).isEqualTo(1);
        Document doc = xml(errorsJunit.out());
        Map<String, Element> cases = testcases(doc);
        long drifted = checked().stream().filter(Expected::drifted).count();
        assertThat(cases).hasSize(checked().size() + 2);
        assertThat(cases.get("ghost reachable").getElementsByTagName("error").getLength()).isEqualTo(1);
        assertThat(cases.get("lab02 sysctl vm.tuner_imaginary_key").getElementsByTagName("error").getLength()).isEqualTo(1);
        assertThat(cases.get("lab02 sysctl vm.tuner_imaginary_key").getElementsByTagName("failure").getLength()).isZero();
        assertThat(((Element) cases.get("ghost reachable").getElementsByTagName("error").item(0)).getAttribute("type")).isEqualTo("unreachable");
        assertThat(((Element) cases.get("lab02 sysctl vm.tuner_imaginary_key").getElementsByTagName("error").item(0)).getAttribute("type"))
                .isEqualTo("unreadable");
        assertCounts(doc, "testsuite", checked().size() + 2, drifted, 2);
        assertThat(OutputCheckers.junitSchemaProblems(errorsJunit.out())).as("valid against the Ant JUnit schema\n%s", errorsJunit.out()).isEmpty();
    }

    // ------------------------------------------------------------------ drift: Prometheus text format

    @Test
    void prometheusTextParsesAndGaugesEverySetting() {
        assertThat(driftProm.exitCode()).as(driftProm.screen()).isEqualTo(2);
        Map<String, ExpositionFormat.Family> families = ExpositionFormat.parse(driftProm.out());
        assertThat(families.keySet()).containsExactlyInAnyOrder("tuner_setting_in_sync", "tuner_setting_check_ok", "tuner_drifted_settings",
                "tuner_host_check_ok", "tuner_drift_check_ok", "tuner_drift_last_check_timestamp_seconds");
        for (ExpositionFormat.Family f : families.values()) {
            assertThat(f.type()).as("%s TYPE", f.name()).isEqualTo("gauge");
            assertThat(f.help()).as("%s HELP", f.name()).isNotBlank();
        }

        Map<String, Double> inSync = new HashMap<>();
        for (ExpositionFormat.Sample s : families.get("tuner_setting_in_sync").samples()) {
            assertThat(s.labels().keySet()).containsExactly("playbook", "host", "kind", "key");
            assertThat(s.labels().get("playbook")).isEqualTo(TunerCli.displayed(playbook));
            inSync.put(s.labels().get("host") + " " + s.labels().get("kind") + " " + s.labels().get("key"), s.value());
        }
        assertThat(inSync).isEqualTo(checked().stream().collect(Collectors.toMap(Expected::id, e -> e.drifted() ? 0.0 : 1.0)));

        assertThat(byHost(families.get("tuner_drifted_settings"))).isEqualTo(Map.of(
                "lab01", (double) count("lab01"), "lab02", (double) count("lab02")));
        assertThat(byHost(families.get("tuner_host_check_ok"))).isEqualTo(Map.of("lab01", 1.0, "lab02", 1.0));
        assertThat(families.get("tuner_setting_check_ok").samples()).hasSize(checked().size()).allMatch(s -> s.value() == 1.0);
        assertThat(families.get("tuner_drift_check_ok").samples()).singleElement()
                .satisfies(s -> assertThat(s.labels()).isEqualTo(Map.of("playbook", TunerCli.displayed(playbook))))
                .satisfies(s -> assertThat(s.value()).isEqualTo(1.0));

        List<ExpositionFormat.Sample> last = families.get("tuner_drift_last_check_timestamp_seconds").samples();
        assertThat(last).hasSize(1);
        assertThat(last.get(0).labels()).as("the playbook label, unescaped").isEqualTo(Map.of("playbook", TunerCli.displayed(playbook)));
        assertThat((long) last.get(0).value()).isBetween(started.getEpochSecond(), finished.getEpochSecond());
    }

    @Test
    void prometheusTextMarksHostsThatCouldNotBeCheckedFully() {
        assertThat(errorsProm.exitCode()).as(errorsProm.screen()).isEqualTo(1);
        Map<String, ExpositionFormat.Family> families = ExpositionFormat.parse(errorsProm.out());
        assertThat(byHost(families.get("tuner_host_check_ok")))
                .as("lab02 has a setting that could not be checked; ghost was unreachable")
                .isEqualTo(Map.of("lab01", 1.0, "lab02", 0.0, "ghost", 0.0));
        assertThat(families.get("tuner_setting_in_sync").samples())
                .as("no in-sync figure for a setting that could not be read")
                .noneMatch(s -> s.labels().get("key").equals("vm.tuner_imaginary_key"))
                .hasSize(checked().size());
        assertThat(byHost(families.get("tuner_drifted_settings"))).isEqualTo(Map.of(
                "lab01", (double) count("lab01"), "lab02", (double) count("lab02")));
        assertThat(families.get("tuner_setting_check_ok").samples())
                .as("a series that says the setting could not be read")
                .filteredOn(s -> s.labels().get("key").equals("vm.tuner_imaginary_key"))
                .singleElement().satisfies(s -> assertThat(s.value()).isZero());
        assertThat(families.get("tuner_drift_check_ok").samples()).singleElement().satisfies(s -> assertThat(s.value()).isZero());
    }

    @Test
    void promtoolAcceptsTheFilesOfRealDriftedRuns() throws Exception {
        for (TunerCli.Result r : List.of(driftProm, errorsProm, twoPlaysProm)) {
            assertThat(OutputCheckers.promtool(r.out())).as("promtool check metrics on\n%s", r.out()).isEmpty();
        }
    }

    @Test
    void twoPlaysCheckingOneKeyGiveOneSeriesThatIsInSyncOnlyWhenBothAre() {
        assertThat(twoPlaysProm.exitCode()).as(twoPlaysProm.screen()).isEqualTo(2);
        // The strict reader refuses a series given twice, as Prometheus does.
        Map<String, ExpositionFormat.Family> families = ExpositionFormat.parse(twoPlaysProm.out());
        Map<String, Double> inSync = new HashMap<>();
        for (ExpositionFormat.Sample s : families.get("tuner_setting_in_sync").samples()) {
            inSync.put(s.labels().get("host") + " " + s.labels().get("kind") + " " + s.labels().get("key"), s.value());
        }
        Map<String, Double> expectedInSync = new HashMap<>();
        for (Expected e : checked()) {
            // The second play wants somaxconn 1024, the first 4096: one of them always finds it drifted.
            boolean drifted = e.drifted() || e.key().equals("net.core.somaxconn");
            expectedInSync.put(e.id(), drifted ? 0.0 : 1.0);
        }
        assertThat(inSync).isEqualTo(expectedInSync);
    }

    @Test
    void twoPlaybooksOnOneNodeDoNotCollide() {
        assertThat(otherPlaybookProm.exitCode()).as(otherPlaybookProm.screen()).isEqualTo(2);
        Map<String, ExpositionFormat.Family> both = ExpositionFormat.textfileCollector(Map.of(
                "formats.prom", driftProm.out(), "other.prom", otherPlaybookProm.out()));
        assertThat(both.get("tuner_host_check_ok").samples()).hasSize(4);
        assertThat(both.get("tuner_setting_in_sync").samples()).hasSize(2 * checked().size());
    }

    @Test
    void aCheckThatCannotRunReplacesTheLastFileWithOneThatSaysSo() throws Exception {
        Path file = tmp.resolve("textfile").resolve("tuner.prom");
        TunerCli.Result good = TunerCli.run("drift", playbook.toString(), "-i", inventory, "--format", "prometheus", "--output", file.toString());
        assertThat(good.exitCode()).as(good.screen()).isEqualTo(2);
        String missing = tmp.resolve("no-such-inventory.yml").toString();
        Instant before = Instant.now();
        TunerCli.Result failed = TunerCli.run("drift", playbook.toString(), "-i", missing, "--format", "prometheus", "--output", file.toString());
        assertThat(failed.exitCode()).as(failed.screen()).isEqualTo(1);
        assertThat(failed.err()).as("the reason is on stderr").contains("no-such-inventory.yml");
        String text = Files.readString(file);
        Map<String, ExpositionFormat.Family> families = ExpositionFormat.parse(text);
        assertThat(byHost(families.get("tuner_host_check_ok"))).as("the hosts of the last file, not checked\n%s", text)
                .isEqualTo(Map.of("lab01", 0.0, "lab02", 0.0));
        assertThat(families).doesNotContainKey("tuner_setting_in_sync");
        assertThat(families.get("tuner_drift_check_ok").samples()).singleElement().satisfies(s -> assertThat(s.value()).isZero());
        assertThat((long) families.get("tuner_drift_last_check_timestamp_seconds").samples().get(0).value())
                .isGreaterThanOrEqualTo(before.getEpochSecond());
        assertThat(OutputCheckers.promtool(text)).isEmpty();
    }

    // ------------------------------------------------------------------ drift: text

    @Test
    void driftTextHasOneLinePerDriftAndASummary() {
        assertThat(driftText.exitCode()).as(driftText.screen()).isEqualTo(2);
        List<String> lines = driftText.out().lines().filter(l -> l.startsWith("DRIFT")).toList();
        List<Expected> drifted = checked().stream().filter(Expected::drifted).toList();
        assertThat(lines).as(driftText.screen()).hasSize(drifted.size());
        for (Expected e : drifted) {
            String what = e.runningDrift() && e.persistedDrift() ? "running and persisted" : e.runningDrift() ? "running" : "persisted";
            assertThat(lines).as(e.id()).anySatisfy(l -> assertThat(l).matches(
                    "DRIFT +" + Pattern.quote(e.host()) + " +" + Pattern.quote(e.kind() + " " + e.key())
                            + " +expected=" + Pattern.quote(e.desired()) + " +running=" + Pattern.quote(show(e.running()))
                            + " +persisted=" + Pattern.quote(show(e.persisted())) + " +\\(" + what + " drifted\\)"));
        }
        assertThat(driftText.out().lines().toList()).last().isEqualTo(
                drifted.size() + " drifted setting(s): " + checked().size() + " setting(s) checked on 2 host(s)");
    }

    @Test
    void driftTextNamesEachErrorAndCountsThem() {
        assertThat(errorsText.exitCode()).as(errorsText.screen()).isEqualTo(1);
        List<String> errors = errorsText.out().lines().filter(l -> l.startsWith("ERROR")).toList();
        assertThat(errors).as(errorsText.screen()).hasSize(2);
        assertThat(errors).anySatisfy(l -> assertThat(l).startsWith("ERROR   ghost: unreachable: "));
        assertThat(errors).anySatisfy(l -> assertThat(l).startsWith("ERROR   lab02  sysctl vm.tuner_imaginary_key: "));
        assertThat(errorsText.out().lines().filter(l -> l.startsWith("DRIFT")).count())
                .isEqualTo(checked().stream().filter(Expected::drifted).count());
        assertThat(errorsText.out().lines().toList()).last().asString()
                .endsWith((checked().size() + 1) + " setting(s) checked on 2 host(s), 2 error(s)");
    }

    // ------------------------------------------------------------------ plan: JSON, text, Markdown

    @Test
    void planJsonShowsEachSettingAndARecapThatAddsUp() throws IOException {
        assertThat(planJson.exitCode()).as(planJson.screen()).isEqualTo(2);
        JsonNode doc = JSON.readTree(planJson.out());
        assertThat(doc.get("mode").asText()).isEqualTo("plan");
        assertThat(doc.get("run_id").isNull()).as("plan journals nothing").isTrue();
        assertThat(doc.get("exit_code").asInt()).isEqualTo(planJson.exitCode());
        assertThat(doc.get("playbook").asText()).isEqualTo(TunerCli.displayed(playbook));
        assertThat(Instant.parse(doc.get("started").asText())).isBetween(started, finished);
        assertThat(Instant.parse(doc.get("finished").asText())).isBetween(Instant.parse(doc.get("started").asText()), finished);
        JsonNode play = doc.get("plays").get(0);
        assertThat(play.get("name").asText()).isEqualTo("Report formats");
        Map<String, Integer> changedTasks = new HashMap<>();
        for (JsonNode host : play.get("results")) {
            String h = host.get("host").asText();
            assertThat(host.get("status").asText()).as(h).isEqualTo("changed");
            assertThat(host.get("left_state").asText()).as(h).isEqualTo("unchanged");
            for (JsonNode task : host.get("tasks")) {
                List<Expected> mine = expected.stream().filter(e -> e.host().equals(h) && e.task().equals(task.get("name").asText())).toList();
                assertThat(task.get("settings")).as("%s %s", h, task.get("name")).hasSize(mine.size());
                for (Expected e : mine) {
                    JsonNode s = find(task.get("settings"), e.key());
                    assertThat(text(s.get("current"))).as("%s current", e.id()).isEqualTo(e.running());
                    assertThat(s.get("desired").asText()).as("%s desired", e.id()).isEqualTo(e.desired());
                    assertThat(text(s.get("persisted"))).as("%s persisted", e.id()).isEqualTo(e.persisted());
                    assertThat(s.get("state").asText()).as("%s state", e.id()).isEqualTo(state(e));
                }
                String status = mine.stream().allMatch(Expected::unsupported) ? "skipped" : mine.stream().anyMatch(Expected::drifted) ? "changed" : "ok";
                assertThat(task.get("status").asText()).as("%s %s", h, task.get("name")).isEqualTo(status);
                if (status.equals("changed")) changedTasks.merge(h, 1, Integer::sum);
            }
        }
        for (JsonNode r : doc.get("recap")) {
            String h = r.get("host").asText();
            long skipped = expected.stream().filter(e -> e.host().equals(h) && e.unsupported()).count();
            assertThat(r.get("changed").asInt()).as("%s changed", h).isEqualTo(changedTasks.getOrDefault(h, 0));
            assertThat(r.get("skipped").asInt()).as("%s skipped", h).isEqualTo(skipped);
            assertThat(r.get("ok").asInt() + r.get("changed").asInt() + r.get("skipped").asInt()).as("%s: every task counted once", h).isEqualTo(3);
            assertThat(r.get("failed").asInt() + r.get("unreachable").asInt()).isZero();
        }
    }

    @Test
    void planTextMarksEachSettingAndItsRecapMatchesTheJson() throws IOException {
        assertThat(planText.exitCode()).as(planText.screen()).isEqualTo(2);
        for (Expected e : expected) {
            String section = planText.host(e.host());
            String marker = switch (state(e)) {
                case "ok" -> "=";
                case "change" -> "~";
                default -> "-";
            };
            assertThat(section.lines()).as("%s in\n%s", e.id(), section)
                    .anySatisfy(l -> assertThat(l).startsWith("    " + marker + " " + e.key() + " "));
            if (state(e).equals("change")) {
                assertThat(section).contains(e.key() + " ").contains(show(e.running()) + " → " + e.desired());
            }
        }
        JsonNode recap = JSON.readTree(planJson.out()).get("recap");
        for (JsonNode r : recap) {
            Pattern line = Pattern.compile("^" + Pattern.quote(r.get("host").asText())
                    + " +: ok=(\\d+) +changed=(\\d+) +unreachable=(\\d+) +failed=(\\d+) +skipped=(\\d+)$", Pattern.MULTILINE);
            Matcher m = line.matcher(planText.out());
            assertThat(m.find()).as("recap line of %s in\n%s", r.get("host"), planText.out()).isTrue();
            assertThat(List.of(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5))).isEqualTo(List.of(
                    r.get("ok").asText(), r.get("changed").asText(), r.get("unreachable").asText(), r.get("failed").asText(), r.get("skipped").asText()));
        }
        // per host, the same unified diffs the JSON carries
        for (JsonNode host : JSON.readTree(planJson.out()).get("plays").get(0).get("results")) {
            String section = planText.host(host.get("host").asText());
            for (JsonNode task : host.get("tasks")) {
                for (JsonNode f : task.get("files")) {
                    for (String l : f.get("diff").asText().split("\n")) {
                        assertThat(section).as("diff line of %s on %s", f.get("path"), host.get("host")).contains("      " + l + "\n");
                    }
                }
            }
        }
    }

    @Test
    void planMarkdownIsTablesAReviewerCanRead() throws IOException {
        assertThat(planMarkdown.exitCode()).as(planMarkdown.screen()).isEqualTo(2);
        List<String> lines = planMarkdown.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("## tuner plan: `" + TunerCli.displayed(playbook) + "`");
        // Every table: a header, a delimiter row with as many cells, rows with as many cells.
        int tables = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("|") || (i > 0 && lines.get(i - 1).startsWith("|"))) continue;
            tables++;
            int columns = cells(lines.get(i)).size();
            assertThat(lines.get(i + 1)).as("delimiter row of the table at line %d", i + 1).matches("\\|(\\s*:?-+:?\\s*\\|)+");
            assertThat(cells(lines.get(i + 1))).hasSize(columns);
            for (int j = i + 2; j < lines.size() && lines.get(j).startsWith("|"); j++) {
                assertThat(cells(lines.get(j))).as("cells of line %d: %s", j + 1, lines.get(j)).hasSize(columns);
            }
        }
        assertThat(tables).as("the recap and one table per host").isEqualTo(3);

        JsonNode recap = JSON.readTree(planJson.out()).get("recap");
        for (JsonNode r : recap) {
            assertThat(lines).contains("| " + r.get("host").asText() + " | " + r.get("ok").asInt() + " | " + r.get("changed").asInt()
                    + " | 0 | 0 | " + r.get("skipped").asInt() + " | " + r.get("not_started").asInt() + " |");
        }
        Map<String, List<List<String>>> settingRows = settingRows(lines);
        for (Expected e : expected) {
            List<List<String>> row = settingRows.getOrDefault(e.host(), List.of()).stream()
                    .filter(c -> c.get(2).equals("`" + e.key() + "`")).toList();
            assertThat(row).as("the row of %s", e.id()).hasSize(1);
            List<String> c = row.get(0);
            assertThat(c.get(0)).as("the task name, its | escaped").isEqualTo(e.task().replace("|", "\\|"));
            assertThat(c.get(3)).isEqualTo(e.running() == null ? "—" : "`" + e.running() + "`");
            assertThat(c.get(4)).isEqualTo("`" + e.desired() + "`");
            assertThat(c.get(5)).isEqualTo(switch (state(e)) {
                case "ok" -> "in sync";
                case "change" -> "**change**";
                default -> "unsupported";
            });
        }
    }

    // ------------------------------------------------------------------ the plan's diff is what apply writes

    @Test
    void thePlannedDiffAppliedWithPatchIsWhatApplyWritesAndAfterwardsEveryFormatSaysInSync() throws Exception {
        JsonNode plan = JSON.readTree(planJson.out());
        Map<String, String> patched = new LinkedHashMap<>();
        Map<String, String> seededManaged = Map.of("lab02", LAB02_MANAGED);
        for (JsonNode host : plan.get("plays").get(0).get("results")) {
            String h = host.get("host").asText();
            for (JsonNode task : host.get("tasks")) {
                for (JsonNode f : task.get("files")) {
                    if (!f.get("path").asText().equals(MANAGED)) continue;
                    assertThat(f.get("action").asText()).as(h).isEqualTo(seededManaged.containsKey(h) ? "modify" : "create");
                    patched.put(h, patch(seededManaged.getOrDefault(h, ""), f.get("diff").asText()));
                }
            }
        }
        assertThat(patched).as("a diff of the managed drop-in for each host").containsOnlyKeys("lab01", "lab02");

        TunerCli.Result apply = TunerCli.run("apply", playbook.toString(), "-i", inventory, "--journal", tmp.resolve("journal").toString(),
                "--no-color", "--no-verify");
        assertThat(apply.exitCode()).as(apply.screen()).isZero();
        for (Map.Entry<String, String> e : patched.entrySet()) {
            byte[] written = HostState.file(lab, lab.host(e.getKey()), MANAGED);
            assertThat(written).as("%s on %s", MANAGED, e.getKey()).isNotNull();
            assertThat(new String(written, StandardCharsets.UTF_8)).as("%s on %s is the planned diff applied by patch", MANAGED, e.getKey())
                    .isEqualTo(e.getValue());
        }

        TunerCli.Result json = TunerCli.run("drift", playbook.toString(), "-i", inventory, "--format", "json");
        assertThat(json.exitCode()).as(json.screen()).isZero();
        JsonNode doc = JSON.readTree(json.out());
        assertThat(doc.get("in_sync").asBoolean()).isTrue();
        assertThat(doc.get("drifted").asInt()).isZero();
        TunerCli.Result junit = TunerCli.run("drift", playbook.toString(), "-i", inventory, "--format", "junit");
        assertCounts(xml(junit.out()), "testsuite", checked().size(), 0, 0);
        TunerCli.Result prom = TunerCli.run("drift", playbook.toString(), "-i", inventory, "--format", "prometheus");
        Map<String, ExpositionFormat.Family> families = ExpositionFormat.parse(prom.out());
        assertThat(families.get("tuner_setting_in_sync").samples()).hasSize(checked().size()).allMatch(s -> s.value() == 1.0);
        assertThat(byHost(families.get("tuner_drifted_settings"))).isEqualTo(Map.of("lab01", 0.0, "lab02", 0.0));
        TunerCli.Result text = TunerCli.run("drift", playbook.toString(), "-i", inventory, "--no-color");
        assertThat(text.out()).isEqualTo("in sync: " + checked().size() + " setting(s) checked on 2 host(s)\n");
    }

    // ------------------------------------------------------------------ helpers

    private static void write(Host h, String path, String content) {
        HostState.ok(lab.execArgs(h, "/bin/sh", "-c", "printf '%s' \"$1\" > \"$2\"", "sh", content, path));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String show(String v) {
        return v == null ? "(none)" : v;
    }

    private static String state(Expected e) {
        return e.unsupported() ? "unsupported" : e.drifted() ? "change" : "ok";
    }

    private static long count(String host) {
        return checked().stream().filter(e -> e.host().equals(host) && e.drifted()).count();
    }

    private static JsonNode find(JsonNode settings, String key) {
        for (JsonNode s : settings) if (s.get("key").asText().equals(key)) return s;
        throw new AssertionError("no setting " + key + " in " + settings);
    }

    private static Map<String, Double> byHost(ExpositionFormat.Family family) {
        Map<String, Double> out = new HashMap<>();
        for (ExpositionFormat.Sample s : family.samples()) {
            assertThat(s.labels().keySet()).as(family.name()).containsExactly("playbook", "host");
            assertThat(out.put(s.labels().get("host"), s.value())).as("%s of %s once", family.name(), s.labels()).isNull();
        }
        return out;
    }

    private static Document xml(String text) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Test cases by "classname name" (host, then kind and key). */
    private static Map<String, Element> testcases(Document doc) {
        Map<String, Element> out = new TreeMap<>();
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            String id = c.getAttribute("classname") + " " + c.getAttribute("name");
            assertThat(out.put(id, c)).as("test case %s once", id).isNull();
        }
        return out;
    }

    /** The counts a CI server shows come from these attributes: they must match the test cases. */
    private static void assertCounts(Document doc, String element, long tests, long failures, long errors) {
        Element e = (Element) doc.getElementsByTagName(element).item(0);
        assertThat(List.of(e.getAttribute("tests"), e.getAttribute("failures"), e.getAttribute("errors"))).as("<%s> tests, failures, errors", element)
                .isEqualTo(List.of(Long.toString(tests), Long.toString(failures), Long.toString(errors)));
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(tests);
        long failing = 0;
        long erring = 0;
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            if (c.getElementsByTagName("failure").getLength() > 0) failing++;
            if (c.getElementsByTagName("error").getLength() > 0) erring++;
        }
        assertThat(List.of(failing, erring)).as("test cases with a failure, with an error").isEqualTo(List.of(failures, errors));
    }

    /** Cells of a Markdown table row: split on | not escaped by a backslash, outer pipes dropped, trimmed. */
    private static List<String> cells(String row) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 1; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c == '\\' && i + 1 < row.length() && row.charAt(i + 1) == '|') {
                cell.append("\\|");
                i++;
            } else if (c == '|') {
                out.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (!cell.toString().isBlank()) out.add(cell.toString().strip());
        return out;
    }

    /** The rows of each host's settings table (under its "#### host — status" heading), as cells. */
    private static Map<String, List<List<String>>> settingRows(List<String> lines) {
        Map<String, List<List<String>>> out = new HashMap<>();
        String host = null;
        for (String l : lines) {
            if (l.startsWith("#### ")) host = l.substring(5, l.indexOf(" — "));
            else if (host != null && l.startsWith("| ") && !l.startsWith("| task |") && cells(l).size() == 8)
                out.computeIfAbsent(host, k -> new ArrayList<>()).add(cells(l));
        }
        return out;
    }

    /** GNU patch applied to {@code before}: what a reviewer gets from the diff in the plan. */
    private static String patch(String before, String diff) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(tmp, "patch");
        Path file = work.resolve("file");
        Files.writeString(file, before);
        Path diffFile = work.resolve("change.diff");
        Files.writeString(diffFile, diff);
        Process p = new ProcessBuilder("patch", "--batch", "--silent", "-o", work.resolve("after").toString(), file.toString(), diffFile.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("patch of\n%s\nwith\n%s\n%s", before, diff, out).isZero();
        return Files.readString(work.resolve("after"));
    }
}
