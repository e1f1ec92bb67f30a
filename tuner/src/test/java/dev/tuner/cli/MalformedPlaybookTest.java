package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.Repo;
import dev.tuner.testing.TunerCli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of malformed playbooks in src/test/resources/playbook/malformed, run through the real
 * {@code tuner validate}. Each file lists, in {@code # expect: [PATH:]LINE:COL: MESSAGE} comments at
 * its end, every error the user must see (PATH, relative to the playbook, for errors in vars files):
 * the run must report exactly those — all of them in one run, nothing else — and exit 1.
 * Every run uses an inventory of TEST-NET addresses nothing answers on, so a connection attempt
 * would show up as a run that takes seconds instead of milliseconds.
 */
class MalformedPlaybookTest {
    private static final Path DIR = Repo.resource("playbook/malformed");
    private static final Path UNREACHABLE = Repo.resource("playbook/unreachable-inventory.yml");
    private static final Pattern EXPECT = Pattern.compile("^# expect: (?:(\\S+?):)?(\\d+):(\\d+): (.+)$");
    private static final Pattern PROBLEM = Pattern.compile("^(.+):(\\d+):(\\d+): (.+)$");
    /**
     * Checking a file is parsing YAML (milliseconds once warm); an SSH connect to TEST-NET waits for
     * the 10 s connect timeout, so a run this long means the network was touched.
     */
    private static final Duration QUICK = Duration.ofSeconds(5);

    /** Loads the CLI's classes once, so the time limit measures validation, not JVM warm-up. */
    @BeforeAll
    static void warmUp() {
        TunerCli.run("validate", Repo.root().resolve("playbooks/db-host.yml").toString());
    }

    record Expected(String location, String message) {}

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList().stream();
        }
    }

    static List<Expected> expectations(Path playbook) throws IOException {
        List<Expected> out = new ArrayList<>();
        for (String line : Files.readAllLines(playbook)) {
            Matcher m = EXPECT.matcher(line);
            if (!m.matches()) continue;
            Path file = m.group(1) == null ? playbook : playbook.getParent().resolve(m.group(1)).normalize();
            out.add(new Expected(TunerCli.displayed(file) + ":" + m.group(2) + ":" + m.group(3), m.group(4)));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void validateReportsEveryErrorOfTheFileWithItsPlace(Path playbook) throws IOException {
        List<Expected> expected = expectations(playbook);
        assertThat(expected).as("%s has no '# expect:' lines", playbook.getFileName()).isNotEmpty();

        TunerCli.Result r = TunerCli.run("validate", playbook.toString(), "-i", UNREACHABLE.toString());

        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.took()).as("validate took %s: did it try to connect?", r.took()).isLessThan(QUICK);
        assertNoStackTrace(r);
        List<String> reported = r.err().lines().filter(l -> PROBLEM.matcher(l).matches()).toList();
        List<String> unexplained = new ArrayList<>(reported);
        for (Expected e : expected) {
            String match = unexplained.stream()
                    .filter(l -> l.startsWith(e.location() + ": ") && l.substring(e.location().length() + 2).contains(e.message()))
                    .findFirst().orElse(null);
            assertThat(match).as("expected '%s: ...%s...' in\n%s", e.location(), e.message(), r.screen()).isNotNull();
            unexplained.remove(match);
        }
        assertThat(unexplained).as("errors the corpus file does not expect").isEmpty();
        assertThat(r.err()).as("the error count closes the report").endsWith(expected.size() + " error(s)\n");
        assertThat(r.out()).as("nothing is called ok when errors were found").doesNotContain("ok:");
    }

    @Test
    void theCorpusIsLargeAndEveryFileSaysWhatItExpects() throws IOException {
        List<Path> files = corpus().toList();
        assertThat(files).hasSizeGreaterThanOrEqualTo(25);
        for (Path f : files) assertThat(expectations(f)).as(f.getFileName().toString()).isNotEmpty();
    }

    @Test
    void severalPlaybooksInOneRunAreAllReported() {
        Path a = DIR.resolve("two-kinds.yml");
        Path b = DIR.resolve("unknown-play-keys.yml");
        TunerCli.Result r = TunerCli.run("validate", a.toString(), b.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).contains(TunerCli.displayed(a) + ":6:7: task 'memory and cpu at once' has more than one setting kind")
                .contains(TunerCli.displayed(b) + ":2:3: unknown play key 'host' (did you mean 'hosts'?)")
                .contains(TunerCli.displayed(b) + ":3:3: unknown play key 'task' (did you mean 'tasks'?)")
                .endsWith("3 error(s)\n");
    }

    /**
     * Proof that validate connects to nothing: the inventory's only host points at a port this
     * test listens on, and no connection may arrive there.
     */
    @Test
    void validateNeverConnectsToAHost(@TempDir Path tmp) throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Path inv = tmp.resolve("inventory.yml");
            Files.writeString(inv, "all:\n  hosts:\n    watched:\n      ansible_host: 127.0.0.1\n      ansible_port: "
                    + listener.getLocalPort() + "\n      ansible_connection: ssh\n");
            TunerCli.Result bad = TunerCli.run("validate", DIR.resolve("sysctl-key-syntax.yml").toString(), "-i", inv.toString());
            TunerCli.Result good = TunerCli.run("validate", Repo.root().resolve("playbooks/db-host.yml").toString(), "-i", inv.toString());
            assertThat(bad.exitCode()).as(bad.screen()).isEqualTo(1);
            assertThat(good.exitCode()).as(good.screen()).isZero();
            listener.setSoTimeout(300);
            try {
                listener.accept().close();
                throw new AssertionError("validate opened a connection to the inventory's host");
            } catch (SocketTimeoutException expected) {
                // Nobody knocked: validate stayed off the network.
            }
        }
    }

    @Test
    void jsonFormatCarriesTheSameProblems() {
        Path pb = DIR.resolve("duplicate-keys.yml");
        TunerCli.Result r = TunerCli.run("validate", "--format", "json", pb.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.out()).contains("\"valid\" : false")
                .contains("\"file\" : \"" + TunerCli.displayed(pb) + "\"")
                .contains("\"line\" : 3", "\"column\" : 3", "\"severity\" : \"error\"")
                .contains("\"message\" : \"duplicate key 'hosts' (first defined at line 2)\"")
                .contains("\"message\" : \"duplicate key 'vm.swappiness' (first defined at line 7)\"");
    }

    /** A handful of the inventory corpus (all of it is covered by MalformedInventoryTest) through the CLI. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            yaml-syntax.yml         | 5:1  | YAML syntax error: while parsing a flow mapping
            yaml-unknown-key.yml    | 4:7  | unknown key 'host' in group 'web': only hosts, vars and children are allowed (did you mean 'hosts'?)
            yaml-duplicate-host.yml | 4:5  | duplicate key 'web1' (first defined at line 3)
            ini-host-var.ini        | 2:16 | expected key=value host variable after host 'web1', got '8080'
            ini-loop.ini            | 8:1  | adding group 'a' as a child of 'b' creates a loop
            ini-range-backwards.ini | 2:5  | host range [5:1] must have begin <= end
            """)
    void malformedInventoriesThroughTheCli(String file, String lineCol, String message) {
        Path inv = Repo.resource("inventory/malformed/" + file);
        TunerCli.Result r = TunerCli.run("validate", "-i", inv.toString());
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.err()).as(r.screen()).contains(TunerCli.displayed(inv) + ":" + lineCol + ": " + message);
        assertThat(r.took()).isLessThan(QUICK);
        assertNoStackTrace(r);
    }

    @Test
    void aPlaybookThatDoesNotExistIsAnErrorNotACrash() {
        TunerCli.Result r = TunerCli.run("validate", DIR.resolve("no-such-playbook.yml").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no-such-playbook.yml: playbook not found");
        assertNoStackTrace(r);
    }

    static void assertNoStackTrace(TunerCli.Result r) {
        assertThat(r.out() + r.err()).as(r.screen())
                .doesNotContain("Exception", "internal error", "\tat ", "at dev.tuner.", "at picocli.");
    }
}
