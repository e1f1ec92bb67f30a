package dev.tuner.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.TunerException;
import dev.tuner.testing.LocalShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's contract, with small shell benchmarks run for real on this machine. */
class RunnerBehaviourTest {
    private final LocalShell host = new LocalShell("local");

    private static BenchmarkDef def(String name, String yaml) {
        Diagnostics d = new Diagnostics();
        BenchmarkDef def = BenchmarkLoader.parse(yaml, "verify/" + name + ".yml", name, d);
        d.throwIfErrors();
        return def;
    }

    private static final String COUNT = """
            metrics:
              n: {regex: 'n=(\\d+)', unit: count, better: higher}
            """;

    @Test
    void aMissingBinaryFallsBackAndChecksEverythingInOneExec() {
        BenchmarkDef a = def("a", "requires: [no-such-tool-xyz]\nfallback: b\ncommand: echo n=1\n" + COUNT);
        BenchmarkDef b = def("b", "requires: [sh]\ncommand: echo n=2\n" + COUNT);
        BenchmarkRunner runner = new BenchmarkRunner(BenchmarkCatalog.of(List.of(a, b), new Diagnostics()));
        Samples s = runner.run(host, a, Map.of(), 0, 3, ProgressListener.NONE);
        assertThat(s.status()).isEqualTo(Samples.Status.MEASURED);
        assertThat(s.benchmark()).isEqualTo("b");
        assertThat(s.values("n")).containsExactly(2.0, 2.0, 2.0);
        assertThat(s.message()).isEqualTo("used b because a needs no-such-tool-xyz (not installed on host local)");
        // one probe (which also lists what earlier series left), one to prepare the series' directory,
        // three runs, one to stop what the series left running
        assertThat(host.execs.get()).isEqualTo(1 + 1 + 3 + 1);
    }

    @Test
    void nothingAvailableIsASkipThatSaysWhatIsMissing() {
        BenchmarkDef a = def("a", "requires: [no-such-tool-xyz]\nfallback: b\ncommand: echo n=1\n" + COUNT);
        BenchmarkDef b = def("b", "requires: [sh, other-missing-tool]\ncheck: true\ncommand: echo n=2\n" + COUNT);
        Samples s = new BenchmarkRunner(BenchmarkCatalog.of(List.of(a, b), new Diagnostics())).run(host, a, Map.of(), 1, 5, null);
        assertThat(s.status()).isEqualTo(Samples.Status.SKIPPED);
        assertThat(s.summary()).isEqualTo("local a: skipped: needs no-such-tool-xyz (not installed on host local); "
                + "fallback b needs other-missing-tool (not installed on host local)");
        assertThat(host.execs.get()).isEqualTo(1);
    }

    @Test
    void aFailingCheckCommandIsAMissingPrerequisite() {
        BenchmarkDef d = def("dockerish", "requires: [sh]\ncheck: exit 1\ncommand: echo n=1\n" + COUNT);
        Samples s = new BenchmarkRunner(null).run(host, d, Map.of(), 0, 1, null);
        assertThat(s.status()).isEqualTo(Samples.Status.SKIPPED);
        assertThat(s.message()).isEqualTo("needs 'exit 1' to succeed (it failed on host local)");
    }

    @Test
    void aHungBenchmarkIsKilledAtItsTimeout() {
        BenchmarkDef d = def("hang", "timeout: 1\ncommand: sleep 30; echo n=1\n" + COUNT);
        Samples s = new BenchmarkRunner(null).run(host, d, Map.of(), 0, 2, null);
        assertThat(s.status()).isEqualTo(Samples.Status.FAILED);
        assertThat(s.message()).isEqualTo("run 1/2 failed: timed out after 1s (raise 'timeout' in the benchmark file)");
    }

    @Test
    void aFailingCommandReportsItsExitAndStderr() {
        BenchmarkDef d = def("boom", "command: \"echo 'FATAL: cannot open /dev/nope' >&2; exit 3\"\n" + COUNT);
        Samples s = new BenchmarkRunner(null).run(host, d, Map.of(), 1, 2, null);
        assertThat(s.message()).isEqualTo("warm-up run 1/1 failed (exit 3): FATAL: cannot open /dev/nope");
    }

    @Test
    void anUnreadableFigureFailsWithTheOutputShown() {
        BenchmarkDef d = def("odd", "command: echo total=12\n" + COUNT);
        Samples s = new BenchmarkRunner(null).run(host, d, Map.of(), 0, 1, null);
        assertThat(s.message()).isEqualTo("run 1/1: metric 'n': regex /n=(\\d+)/ found nothing in the output; output began: 'total=12'");
    }

    @Test
    void cleanupRunsEvenWhenTheBenchmarkFails(@TempDir Path tmp) {
        BenchmarkDef d = def("scratch", """
                vars: {dir: null}
                setup: touch {{ dir }}/scratch-{{ run_id }}
                command: ls {{ dir }} | grep -c scratch; exit 1
                cleanup: rm -f {{ dir }}/scratch-{{ run_id }}
                """ + COUNT);
        Samples s = new BenchmarkRunner(null).run(host, d, Map.of("dir", tmp.toString()), 0, 1, null);
        assertThat(s.status()).isEqualTo(Samples.Status.FAILED);
        assertThat(tmp.toFile().list()).isEmpty();
    }

    @Test
    void variablesReachTheShellAsOneLiteralWord() {
        BenchmarkDef d = def("quote", "vars: {word: x}\ncommand: printf 'n=%s\\n' \"$(printf '%s' {{ word }} | wc -c)\"\n" + COUNT);
        String hostile = "a b; echo n=999 $(id)'\"";
        Samples s = new BenchmarkRunner(null).run(host, d, Map.of("word", hostile), 0, 1, null);
        assertThat(s.values("n")).containsExactly((double) hostile.length());
    }

    @Test
    void aRequiredVariableWithoutValueIsNamed() {
        BenchmarkDef d = def("needs", "vars: {peer: null}\ncommand: echo n={{ peer }}\n" + COUNT);
        assertThatThrownBy(() -> new BenchmarkRunner(null).run(host, d, Map.of(), 0, 1, null))
                .isInstanceOf(TunerException.class)
                .hasMessage("benchmark 'needs' needs variable 'peer' (give it with -e peer=... or in the inventory)");
    }

    @Test
    void progressSaysWhatRunsWhereWithAnEstimateOnceThereIsOne() {
        BenchmarkDef d = def("quick", "command: echo n=1\n" + COUNT);
        List<ProgressEvent> events = new ArrayList<>();
        new BenchmarkRunner(null).run(host, d, Map.of(), 1, 3, events::add);
        assertThat(events).extracting(e -> e.phase() + " " + e.run() + "/" + e.runs()).containsExactly(
                "CHECKING 0/3", "WARMUP 1/1", "RUN 1/3", "RUN 2/3", "RUN 3/3", "FINISHED 3/3");
        assertThat(events.get(1).remaining()).isNull();
        assertThat(events.get(2).remaining()).isNotNull();
        assertThat(events.get(3).toString()).startsWith("local quick: run 2/3, elapsed ").contains(" left");
    }

    @Test
    void setupStepsForThePeerRunOnThePeerConnection(@TempDir Path tmp) throws Exception {
        LocalShell peer = new LocalShell("peer1");
        BenchmarkDef d = def("peered", """
                vars: {dir: null}
                setup:
                  - {on: peer, run: 'echo {{ host }} > {{ dir }}/started-by'}
                command: echo n=1
                """ + COUNT);
        Samples s = new BenchmarkRunner(null).run(host, peer, d, Map.of("dir", tmp.toString()), 0, 1, null);
        assertThat(s.status()).isEqualTo(Samples.Status.MEASURED);
        // its own probe, preparing its series directory, the setup step, stopping what the series left
        assertThat(peer.execs.get()).isEqualTo(4);
        assertThat(Files.readString(tmp.resolve("started-by")).strip()).isEqualTo("local");
    }
}
