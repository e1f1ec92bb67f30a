package dev.tuner.settings.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Problem;
import dev.tuner.playbook.PlaybookParser;
import dev.tuner.report.FileDiff;
import dev.tuner.settings.ApplyException;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.Desired;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.SpecException;
import dev.tuner.testing.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerKindTest {
    private final DockerKind kind = new DockerKind();

    @TempDir
    Path dir;

    private static final String ORIGINAL = """
            {
                "data-root": "/srv/docker",
                "debug": true,
                "dns": [
                    "10.0.0.2",
                    "10.0.0.3"
                ],
                "log-driver": "journald"
            }
            """;

    private LocalHost host(Path config) {
        return new LocalHost(kind, Map.of("tuner_docker_config", config.toString()), dir);
    }

    private List<Desired> tuning() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("log-driver", "json-file");
        spec.put("log-opts", Map.of("max-size", "100m"));
        spec.put("live-restore", true);
        spec.put("exec-opts", List.of("native.cgroupdriver=systemd"));
        spec.put("default-ulimits", Map.of("nofile", Map.of("Name", "nofile", "Soft", 65536L, "Hard", 65536L)));
        spec.put("absent", List.of("debug"));
        return kind.desired(0, spec);
    }

    @Test
    void mergesKeepingUnrelatedKeysThenReplansCleanAndRollsBackByteForByte() throws Exception {
        Path config = dir.resolve("docker/daemon.json");
        Files.createDirectories(config.getParent());
        Files.writeString(config, ORIGINAL);
        LocalHost h = host(config);

        KindPlan plan = h.plan(tuning());

        assertThat(plan.changes()).extracting(Change::key, Change::state, Change::cost).contains(
                org.assertj.core.groups.Tuple.tuple("log-driver", ChangeState.CHANGE, Cost.RESTART),
                org.assertj.core.groups.Tuple.tuple("live-restore", ChangeState.CHANGE, Cost.RELOAD),
                org.assertj.core.groups.Tuple.tuple("debug", ChangeState.CHANGE, Cost.RELOAD));
        Change driver = plan.changes().stream().filter(c -> c.key().equals("log-driver")).findFirst().orElseThrow();
        assertThat(driver.current()).isEqualTo("\"journald\"");
        assertThat(driver.desired()).isEqualTo("\"json-file\"");
        String diff = FileDiff.unified(plan.files().get(0));
        assertThat(diff).contains("-    \"debug\": true,", "-    \"log-driver\": \"journald\"", "+    \"live-restore\": true,")
                .doesNotContain("-    \"data-root\"");

        ApplyReport applied = h.apply(plan);
        JsonNode written = new ObjectMapper().readTree(config.toFile());
        assertThat(fieldNames(written)).containsExactly("data-root", "dns", "log-driver", "log-opts", "live-restore", "exec-opts", "default-ulimits");
        assertThat(written.get("data-root").asText()).isEqualTo("/srv/docker");
        assertThat(written.get("dns")).hasSize(2);
        assertThat(written.get("default-ulimits").get("nofile").get("Soft").asLong()).isEqualTo(65536);
        assertThat(LocalHost.text(config)).startsWith("{\n    \"data-root\"").endsWith("}\n");

        KindPlan again = h.plan(tuning());
        assertThat(again.hasChanges()).isFalse();
        assertThat(again.changes()).allMatch(c -> c.state() == ChangeState.OK);

        h.rollback(applied);
        assertThat(Files.readString(config)).isEqualTo(ORIGINAL);
    }

    @Test
    void createsTheFileWithTwoSpaceIndentAndRollbackRemovesIt() throws Exception {
        Path config = dir.resolve("etc/docker/daemon.json");
        LocalHost h = host(config);
        ApplyReport applied = h.apply(h.plan(kind.desired(0, Map.of("storage-driver", "overlay2"))));
        assertThat(LocalHost.text(config)).isEqualTo("{\n  \"storage-driver\": \"overlay2\"\n}\n");
        h.rollback(applied);
        assertThat(config).doesNotExist();
    }

    @Test
    void anExistingInvalidFileFailsEveryKeyAndIsNotTouched() throws Exception {
        Path config = dir.resolve("daemon.json");
        String broken = "{\n  \"debug\": true,\n}\n";
        Files.writeString(config, broken);
        LocalHost h = host(config);

        KindPlan plan = h.plan(kind.desired(0, Map.of("live-restore", true)));

        assertThat(plan.files()).isEmpty();
        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.state()).isEqualTo(ChangeState.FAILED);
            assertThat(c.note()).contains(config + ":3:").contains("not valid JSON").contains("nothing will be written");
        });
        h.apply(plan);
        assertThat(Files.readString(config)).isEqualTo(broken);
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedBeforeAnyWrite() throws Exception {
        Path config = dir.resolve("daemon.json");
        Files.writeString(config, ORIGINAL);
        // log-opts values are strings to dockerd: a YAML number would stop it from starting.
        assertThatThrownBy(() -> kind.desired(0, Map.of("log-opts", Map.of("max-file", 3L))))
                .isInstanceOf(SpecException.class).hasMessageContaining("'log-opts.max-file' must be a string").hasMessageContaining("\"3\"");
        assertThatThrownBy(() -> kind.desired(0, Map.of("max-concurrent-downloads", Double.POSITIVE_INFINITY)))
                .isInstanceOf(SpecException.class).hasMessageContaining("max-concurrent-downloads");

        // A plan coming from elsewhere (a journal, another version) with a bad value is refused whole.
        LocalHost h = host(config);
        KindPlan plan = h.plan(List.of(new Desired(0, "live-restore", "\"yes\""), new Desired(0, "log-driver", "\"json-file\"")));
        assertThat(plan.files()).isEmpty();
        assertThat(plan.changes()).allMatch(c -> c.state() == ChangeState.FAILED);
        assertThat(plan.changes().get(0).note()).contains("'live-restore' must be true or false");
        assertThat(plan.changes().get(1).note()).contains("not written").contains("live-restore");
        h.apply(plan);
        assertThat(Files.readString(config)).isEqualTo(ORIGINAL);
    }

    @Test
    void aFileEditedBetweenPlanAndApplyIsNotOverwritten() throws Exception {
        Path config = dir.resolve("daemon.json");
        Files.writeString(config, ORIGINAL);
        LocalHost h = host(config);
        KindPlan plan = h.plan(kind.desired(0, Map.of("live-restore", true)));
        String edited = ORIGINAL.replace("journald", "syslog");
        Files.writeString(config, edited);

        assertThatThrownBy(() -> h.apply(plan)).isInstanceOf(ApplyException.class)
                .hasMessageContaining(config + " changed on the host since it was read").hasMessageContaining("run plan again");
        assertThat(Files.readString(config)).isEqualTo(edited);
    }

    @Test
    void aKeySetByTwoTasksTakesTheLaterValueAndThePlanNamesBothTasks() throws Exception {
        Path config = dir.resolve("daemon.json");
        Files.writeString(config, ORIGINAL);
        LocalHost h = host(config);
        List<Desired> wanted = new java.util.ArrayList<>(kind.desired(0, Map.of("log-driver", "local", "live-restore", true)));
        wanted.addAll(kind.desired(1, Map.of("log-driver", "json-file", "live-restore", true)));
        wanted.addAll(kind.desired(2, Map.of("absent", List.of("data-root"))));
        wanted.addAll(kind.desired(3, Map.of("data-root", "/var/lib/docker")));

        KindPlan plan = h.plan(wanted);

        assertThat(plan.notes()).containsExactlyInAnyOrder(
                "log-driver is set by task #1 (\"local\") and task #2 (\"json-file\"); the later one wins",
                "data-root is set by task #3 (removed) and task #4 (\"/var/lib/docker\"); the later one wins");
        assertThat(plan.changes()).filteredOn(c -> c.key().equals("log-driver")).singleElement().extracting(Change::task).isEqualTo(1);
        h.apply(plan);
        JsonNode written = new ObjectMapper().readTree(config.toFile());
        assertThat(written.get("log-driver").asText()).isEqualTo("json-file");
        assertThat(written.get("data-root").asText()).isEqualTo("/var/lib/docker");
        assertThat(written.get("live-restore").asBoolean()).isTrue();
    }

    @Test
    void anUnreadableFileFailsEveryKeyAndKeepsThePlansNotes() throws Exception {
        // A socket where daemon.json should be: even root cannot open it for reading.
        Path config = dir.resolve("daemon.json");
        LocalHost h = host(config);
        List<Desired> wanted = new java.util.ArrayList<>(kind.desired(0, Map.of("debug", true)));
        wanted.addAll(kind.desired(1, Map.of("debug", false)));

        KindPlan plan;
        try (var socket = LocalHost.unreadable(config)) {
            plan = h.plan(wanted);
        }

        assertThat(plan.files()).isEmpty();
        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.state()).isEqualTo(ChangeState.FAILED);
            assertThat(c.note()).startsWith("cannot read " + config + ": ").hasSizeGreaterThan(("cannot read " + config + ": ").length());
            assertThat(c.cost()).isEqualTo(Cost.RELOAD);
        });
        assertThat(plan.notes()).singleElement().satisfies(n -> assertThat(n).contains("task #1", "task #2"));
    }

    @Test
    void validationNamesFileLineAndColumnAndSuggestsKnownKeys() throws Exception {
        Path pb = dir.resolve("pb.yml");
        Files.writeString(pb, """
                - hosts: all
                  tasks:
                    - name: docker
                      docker:
                        live-restor: true
                        log-opts: {max-file: 3}
                        max-concurrent-downloads: .inf
                        debug: true
                        absent: [debug]
                """);
        Diagnostics d = new Diagnostics();
        PlaybookParser.parse(pb, d);
        List<String> lines = d.all().stream().map(Problem::toString).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":5:9:").contains("live-restor").contains("did you mean 'live-restore'"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":6:19:").contains("'log-opts.max-file' must be a string"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":7:").contains("max-concurrent-downloads"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(":9:").contains("'debug' is both set and listed in 'absent'"));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    /** A reviewer's diff shows the keys a playbook changes and nothing else: untouched values keep their own layout. */
    @Test
    void untouchedKeysKeepTheirTextSoTheDiffShowsOnlyTheChange() throws Exception {
        String compact = """
                {
                  "dns": ["10.0.0.2", "10.0.0.3"],
                  "log-opts": {"max-size": "10m"},
                  "log-driver": "journald",
                  "debug": true
                }
                """;
        Path config = dir.resolve("daemon.json");
        Files.writeString(config, compact);
        KindPlan one = host(config).plan(kind.desired(0, Map.of("log-driver", "json-file")));
        assertThat(one.files().get(0).after()).isEqualTo(compact.replace("\"journald\"", "\"json-file\""));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("live-restore", true);
        spec.put("absent", List.of("debug"));
        KindPlan two = host(config).plan(kind.desired(0, spec));
        assertThat(two.files().get(0).after()).isEqualTo("""
                {
                  "dns": ["10.0.0.2", "10.0.0.3"],
                  "log-opts": {"max-size": "10m"},
                  "log-driver": "journald",
                  "live-restore": true
                }
                """);

        KindPlan first = host(config).plan(kind.desired(0, Map.of("absent", List.of("dns"), "max-concurrent-downloads", 5)));
        assertThat(first.files().get(0).after()).isEqualTo("""
                {
                  "log-opts": {"max-size": "10m"},
                  "log-driver": "journald",
                  "debug": true,
                  "max-concurrent-downloads": 5
                }
                """);
    }
}
