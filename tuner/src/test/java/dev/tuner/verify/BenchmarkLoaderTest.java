package dev.tuner.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Problem;
import dev.tuner.testing.Shipped;
import dev.tuner.verify.stats.Better;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkLoaderTest {
    @Test
    void theShippedBenchmarksLoadWithTheirFallbacks() {
        BenchmarkCatalog c = Shipped.catalog();
        assertThat(c.names()).contains("cpu", "cpu-sh", "memory", "disk", "network", "network-ping", "container", "container-podman");
        assertThat(c.chain("cpu")).extracting(BenchmarkDef::name).containsExactly("cpu", "cpu-sh");
        assertThat(c.chain("container")).extracting(BenchmarkDef::name).containsExactly("container", "container-podman");
        BenchmarkDef disk = c.get("disk");
        assertThat(disk.metrics()).extracting(MetricDef::name).containsExactly("seq_read", "seq_write", "rand_read_iops", "rand_write_iops");
        assertThat(disk.metric("seq_read").unit()).isEqualTo("MB/s");
        assertThat(disk.vars()).containsEntry("scratch_dir", "/var/tmp");
        assertThat(disk.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.get("network").usesPeer()).isTrue();
        assertThat(c.get("network").metric("latency_p50").better()).isEqualTo(Better.LOWER);
    }

    private static List<String> problems(String yaml) {
        Diagnostics d = new Diagnostics();
        BenchmarkDef def = BenchmarkLoader.parse(yaml, "verify/x.yml", "x", d);
        assertThat(def).isNull();
        return d.all().stream().map(Problem::toString).toList();
    }

    @Test
    void anUnknownKeyIsNamedWithItsPlaceAndTheNearestKnownKey() {
        assertThat(problems("""
                command: true
                requries: [sysbench]
                metrics:
                  x: {regex: '(\\d+)', unit: s, better: lower}
                """)).containsExactly("verify/x.yml:2:1: unknown key 'requries' in a benchmark (did you mean 'requires'?); "
                + "known keys: name, description, command, requires, check, vars, timeout, warmup, fallback, setup, cleanup, metrics");
    }

    @Test
    void wrongTypesAndValuesAreReportedAllAtOnce() {
        assertThat(problems("""
                command: [a, b]
                warmup: lots
                timeout: soon
                metrics:
                  speed:
                    regex: 'no group here'
                    unit: MB/s
                    better: hihger
                  lat:
                    json: 'jobs[0]'
                    unit: us
                    better: lower
                    scael: 2
                """)).containsExactly(
                "verify/x.yml:1:10: 'command' must be a string, not a list",
                "verify/x.yml:2:9: 'warmup' must be a whole number from 0 to 1000, not string 'lots'",
                "verify/x.yml:3:10: 'timeout' must be a duration like 90, 90s, 5m or 1h, not string 'soon'",
                "verify/x.yml:6:12: metric 'speed': the regex has no group: put the number in ( ... ) or (?<value> ... )",
                "verify/x.yml:8:13: 'better' must be 'higher' or 'lower', not 'hihger' (did you mean 'higher'?)",
                "verify/x.yml:10:11: metric 'lat': a JSON path starts with '$', like $.jobs[0].read.bw",
                "verify/x.yml:13:5: unknown key 'scael' in metric 'lat' (did you mean 'scale'?); known keys: regex, json, scale, unit, better, description");
    }

    @Test
    void anUndeclaredVariableIsCaughtWhenTheFileIsLoaded() {
        assertThat(problems("""
                vars:
                  duration: 5
                command: sysbench cpu --time={{ duraton }} run
                metrics:
                  e: {regex: 'events per second:\\s*([0-9.]+)', unit: events/s, better: higher}
                """)).containsExactly("verify/x.yml:3:10: variable '{{ duraton }}' is not declared under 'vars' "
                + "(did you mean 'duration'?) (built in: host, run_id, run_dir)");
    }

    @Test
    void missingEssentialsAreNamed() {
        assertThat(problems("""
                description: nothing to run
                metrics:
                  e: {regex: '(x)'}
                """)).containsExactly(
                "verify/x.yml:1:1: missing key 'command': the shell command that runs the benchmark",
                "verify/x.yml:3:3: metric 'e' needs 'unit' (like MB/s, IOPS, usec)",
                "verify/x.yml:3:3: metric 'e' needs 'better: higher' or 'better: lower'");
    }

    @Test
    void aFallbackThatDoesNotExistIsReportedWithASuggestion(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("fast.yml"), """
                command: echo 1
                fallback: slwo
                metrics:
                  v: {regex: '(\\d+)', unit: n, better: higher}
                """);
        Files.writeString(dir.resolve("slow.yml"), """
                command: echo 2
                metrics:
                  v: {regex: '(\\d+)', unit: n, better: higher}
                """);
        Diagnostics d = new Diagnostics();
        BenchmarkCatalog.load(dir, d);
        assertThat(d.all()).extracting(Problem::toString)
                .containsExactly(dir.getFileName() + "/fast.yml:1:1: benchmark 'fast': fallback 'slwo' is not defined (did you mean 'slow'?)");
    }

    @Test
    void aUserBenchmarkDroppedIntoTheDirectoryIsPickedUp(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("pgbench.yml"), """
                description: PostgreSQL TPS
                requires: [pgbench]
                vars: {clients: 8, db: null}
                command: pgbench -c {{ clients }} -T 10 {{ db }}
                metrics:
                  tps:
                    regex: 'tps = (?<value>[0-9.]+)'
                    unit: tps
                    better: higher
                """);
        BenchmarkDef pg = BenchmarkCatalog.load(dir).get("pgbench");
        assertThat(pg.vars()).containsEntry("clients", "8").containsEntry("db", null);
        assertThat(pg.metric("tps").extract("tps = 1234.5 (without initial connection time)")).isEqualTo(1234.5);
    }
}
