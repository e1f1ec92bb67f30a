package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.journal.Journal;
import dev.tuner.journal.JournalEvent;
import dev.tuner.journal.RunSummary;
import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values of {@code no_log} tasks and contents of files other users may not read stay out of every
 * output (text, JSON, Markdown, drift) unless {@code --show-secrets}; a rollback hides what its run
 * hid. Everything runs on this machine through the local connection: plans and drift only read
 * it, and what apply and rollback write is in a temporary directory.
 */
class SecretsInOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOMAIN = "hunter2-domain";
    private static final String OLD_PASSWORD = "old-Secret-1";
    private static final String NEW_PASSWORD = "N3w-Secret-2";
    private static final String TOKEN = "T0ken-3";
    private static final String KEY = "K3y-4";
    private static final String PUBLIC = "hello-public";

    @TempDir
    Path dir;
    Path inventory;
    Path app;

    @BeforeEach
    void files() throws Exception {
        inventory = dir.resolve("local.yml");
        Files.writeString(inventory, "all:\n  hosts:\n    localhost: {ansible_connection: local, db_password: " + NEW_PASSWORD + "}\n");
        Path templates = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(templates.resolve("secret.ftl"), "password = ${db_password}\n");
        Files.writeString(templates.resolve("token.ftl"), "token = " + TOKEN + "\n");
        Files.writeString(templates.resolve("key.ftl"), "key = " + KEY + "\n");
        Files.writeString(templates.resolve("public.ftl"), "greeting = " + PUBLIC + "\n");
        app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(app.resolve("secret.conf"), "password = " + OLD_PASSWORD + "\n");
        Files.writeString(app.resolve("key.conf"), "key = old-key\n");
        Files.setPosixFilePermissions(app.resolve("key.conf"), PosixFilePermissions.fromString("rw-------"));
    }

    private Path templatesPlaybook() throws Exception {
        Path p = dir.resolve("templates.yml");
        Files.writeString(p, """
                - name: app
                  hosts: all
                  gather_facts: false
                  tasks:
                    - name: db password
                      no_log: true
                      template: {src: templates/secret.ftl, dest: "%1$s/secret.conf"}
                    - name: private token
                      template: {src: templates/token.ftl, dest: "%1$s/token.conf", mode: "0600"}
                    - name: existing private key
                      template: {src: templates/key.ftl, dest: "%1$s/key.conf"}
                    - name: public greeting
                      template: {src: templates/public.ftl, dest: "%1$s/public.conf", mode: "0644"}
                """.formatted(app));
        return p;
    }

    private Path sysctlPlaybook() throws Exception {
        Path p = dir.resolve("sysctl.yml");
        String swappiness;
        // Files.readString trusts the size /proc reports and may return part of the value.
        try (var in = Files.newInputStream(Path.of("/proc/sys/vm/swappiness"))) {
            swappiness = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
        }
        Files.writeString(p, """
                - name: kernel
                  hosts: all
                  gather_facts: false
                  tasks:
                    - name: domain
                      no_log: true
                      sysctl: {kernel.domainname: %s}
                    - name: memory
                      sysctl: {vm.swappiness: %s}
                """.formatted(DOMAIN, swappiness));
        return p;
    }

    private TunerCli.Result tuner(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-i", inventory.toString(), "--no-color", "--journal", dir.resolve("journal").toString()));
        return TunerCli.run(all);
    }

    private static void assertNoSecret(TunerCli.Result r, String... secrets) {
        for (String s : secrets) assertThat(r.screen()).as("output holds no %s", s).doesNotContain(s);
    }

    @Test
    void planHidesNoLogValuesAndPrivateFilesInEveryFormat() throws Exception {
        Path pb = templatesPlaybook();
        TunerCli.Result text = tuner("plan", pb.toString());
        assertThat(text.exitCode()).as(text.screen()).isEqualTo(2);
        assertNoSecret(text, OLD_PASSWORD, NEW_PASSWORD, TOKEN, KEY, "old-key");
        assertThat(text.out()).contains("diff hidden").contains("+greeting = " + PUBLIC);

        TunerCli.Result json = tuner("plan", pb.toString(), "--format", "json");
        assertNoSecret(json, OLD_PASSWORD, NEW_PASSWORD, TOKEN, KEY, "old-key");
        JsonNode tasks = JSON.readTree(json.out()).at("/plays/0/results/0/tasks");
        assertThat(tasks.get(0).at("/settings/0/hidden").asBoolean()).isTrue();
        assertThat(tasks.get(0).at("/settings/0/desired").asText()).isEqualTo("(hidden)");
        Map<String, JsonNode> files = new HashMap<>();
        for (JsonNode t : tasks) for (JsonNode f : t.get("files")) files.put(Path.of(f.get("path").asText()).getFileName().toString(), f);
        assertThat(files.get("secret.conf").get("hidden").asBoolean()).as("no_log task's file").isTrue();
        assertThat(files.get("token.conf").get("hidden").asBoolean()).as("mode 0600").isTrue();
        assertThat(files.get("key.conf").get("hidden").asBoolean()).as("already 0600 on the host").isTrue();
        assertThat(files.get("public.conf").get("hidden").asBoolean()).as("0644").isFalse();
        assertThat(files.get("public.conf").get("diff").asText()).contains("+greeting = " + PUBLIC);

        TunerCli.Result markdown = tuner("plan", pb.toString(), "--format", "markdown");
        assertNoSecret(markdown, OLD_PASSWORD, NEW_PASSWORD, TOKEN, KEY, "old-key");
        assertThat(markdown.out()).contains(PUBLIC);

        TunerCli.Result shown = tuner("plan", pb.toString(), "--show-secrets");
        assertThat(shown.out()).contains("-password = " + OLD_PASSWORD, "+password = " + NEW_PASSWORD, "+token = " + TOKEN,
                "-key = old-key", "+key = " + KEY);
    }

    @Test
    void aNoLogSettingIsHiddenInPlanAndDriftButStillReportedAsDrifted() throws Exception {
        Path pb = sysctlPlaybook();
        TunerCli.Result plan = tuner("plan", pb.toString());
        assertThat(plan.exitCode()).as(plan.screen()).isEqualTo(2);
        assertNoSecret(plan, DOMAIN);
        assertThat(plan.out()).contains("kernel.domainname").contains("→ (hidden)")
                .as("another task's value is not hidden").containsPattern("vm\\.swappiness\\s+\\d+ → \\d+");

        TunerCli.Result drift = tuner("drift", pb.toString());
        assertThat(drift.exitCode()).as(drift.screen()).isEqualTo(2);
        assertNoSecret(drift, DOMAIN);
        assertThat(drift.out()).contains("DRIFT   localhost  sysctl kernel.domainname  expected=(hidden)  running=(hidden)");

        TunerCli.Result driftJson = tuner("drift", pb.toString(), "--format", "json");
        assertNoSecret(driftJson, DOMAIN);
        JsonNode settings = JSON.readTree(driftJson.out()).get("settings");
        assertThat(settings.get(0).get("hidden").asBoolean()).isTrue();
        assertThat(settings.get(0).get("running_drift").asBoolean()).isTrue();
        assertThat(settings.get(1).get("hidden").asBoolean()).isFalse();

        assertThat(tuner("drift", pb.toString(), "--show-secrets").out()).contains("expected=" + DOMAIN);

        Path driftDoc = dir.resolve("drift.json");
        Files.writeString(driftDoc, driftJson.out());
        TunerCli.Result mergedDrift = TunerCli.run("merge", driftDoc.toString(), "--format", "junit");
        assertThat(mergedDrift.exitCode()).as(mergedDrift.screen()).isEqualTo(2);
        assertNoSecret(mergedDrift, DOMAIN);
        assertThat(mergedDrift.out()).contains("drifted: expected (hidden), running (hidden)");
        assertThat(JSON.readTree(TunerCli.run("merge", driftDoc.toString(), "--format", "json").out()).at("/settings/0/hidden").asBoolean())
                .as("merged, still marked").isTrue();
    }

    @Test
    void aMergedRunDocumentHidesWhatItsPartsHid() throws Exception {
        Path pb = templatesPlaybook();
        Path doc = dir.resolve("plan.json");
        TunerCli.Result plan = tuner("plan", pb.toString(), "--format", "json");
        assertThat(plan.exitCode()).as(plan.screen()).isEqualTo(2);
        Files.writeString(doc, plan.out());
        for (String format : List.of("text", "markdown")) {
            TunerCli.Result merged = TunerCli.run("merge", doc.toString(), "--format", format, "--no-color");
            assertThat(merged.exitCode()).as(merged.screen()).isEqualTo(2);
            assertNoSecret(merged, OLD_PASSWORD, NEW_PASSWORD, TOKEN, KEY, "old-key");
            assertThat(merged.out()).as(format).contains("diff hidden").contains(PUBLIC);
        }
        JsonNode tasks = JSON.readTree(TunerCli.run("merge", doc.toString(), "--format", "json").out()).at("/plays/0/results/0/tasks");
        assertThat(tasks.get(0).at("/settings/0/hidden").asBoolean()).isTrue();
        assertThat(tasks.get(0).at("/settings/0/desired").asText()).isEqualTo("(hidden)");
        Map<String, Boolean> hidden = new HashMap<>();
        for (JsonNode t : tasks) for (JsonNode f : t.get("files")) hidden.put(Path.of(f.get("path").asText()).getFileName().toString(), f.get("hidden").asBoolean());
        assertThat(hidden).containsEntry("secret.conf", true).containsEntry("token.conf", true).containsEntry("key.conf", true)
                .containsEntry("public.conf", false);
    }

    @Test
    void applyAndItsRollbackHideWhatThePlanHidAndTheJournalSaysWhat() throws Exception {
        Path pb = templatesPlaybook();
        TunerCli.Result apply = tuner("apply", pb.toString(), "--no-verify", "--diff");
        assertThat(apply.exitCode()).as(apply.screen()).isZero();
        assertNoSecret(apply, OLD_PASSWORD, NEW_PASSWORD, TOKEN, KEY, "old-key");
        assertThat(Files.readString(app.resolve("secret.conf"))).isEqualTo("password = " + NEW_PASSWORD + "\n");

        Journal journal = new Journal(dir.resolve("journal"));
        RunSummary run = journal.list().get(0);
        List<JournalEvent> events = journal.events(run.id()).get("localhost");
        assertThat(events.get(0).event()).isEqualTo(JournalEvent.BEFORE);
        assertThat(events.get(0).hidden()).as("what output hides is journaled, as hashes").isNotEmpty()
                .allSatisfy(h -> assertThat(h).matches("[0-9a-f]{64}"));

        for (String format : List.of("text", "markdown", "json")) {
            TunerCli.Result check = tuner("rollback", run.id(), "--check", "--format", format);
            assertThat(check.exitCode()).as(check.screen()).isEqualTo(2);
            assertNoSecret(check, OLD_PASSWORD, NEW_PASSWORD, TOKEN, KEY, "old-key");
            assertThat(check.out()).as("read first, like a plan, in " + format).contains("diff hidden").contains(PUBLIC);
        }

        TunerCli.Result rollback = tuner("rollback", run.id());
        assertThat(rollback.exitCode()).as(rollback.screen()).isZero();
        assertNoSecret(rollback, OLD_PASSWORD, NEW_PASSWORD, TOKEN, KEY, "old-key");
        assertThat(rollback.out()).contains("diff hidden").contains(PUBLIC);
        assertThat(Files.readString(app.resolve("secret.conf"))).as("restored byte for byte").isEqualTo("password = " + OLD_PASSWORD + "\n");
        assertThat(Files.readString(app.resolve("key.conf"))).isEqualTo("key = old-key\n");
        try (Stream<Path> left = Files.list(app)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("secret.conf", "key.conf");
        }

        RunSummary rollbackRun = journal.list().get(1);
        assertThat(journal.events(rollbackRun.id()).get("localhost").get(0).hidden())
                .as("a rollback of the rollback hides the same").containsExactlyElementsOf(events.get(0).hidden());
    }
}
