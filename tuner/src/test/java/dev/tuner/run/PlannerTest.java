package dev.tuner.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tuner.settings.ChangeState;
import dev.tuner.settings.KindPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planner on this machine through the local connection, with the files it reads in a test directory. */
class PlannerTest {
    @TempDir
    Path dir;

    static final String PLAY = """
            - name: files
              hosts: all
              gather_facts: false
              vars:
                greeting: hello
              tasks:
                - name: motd
                  template: {src: motd.ftl, dest: "{{ dir }}/motd", mode: "0640"}
                - name: only on big hosts
                  when: cpus > 64
                  template: {src: motd.ftl, dest: "{{ dir }}/big"}
                - name: broken
                  template: {src: motd.ftl, dest: "{{ missing_dir }}/x"}
                - name: VM hardware
                  vmx: {numvcpus: 2}
            """;

    @Test
    void resolvesConditionsAndValuesReadsOnceAndPlansEachKindAlone() throws Exception {
        Files.writeString(dir.resolve("motd.ftl"), "${greeting} from ${inventory_hostname}\n");
        Files.writeString(dir.resolve("motd"), "old words\n");
        Files.setPosixFilePermissions(dir.resolve("motd"), PosixFilePermissions.fromString("rw-r--r--"));
        List<String> steps = Collections.synchronizedList(new ArrayList<>());
        RunListener listener = new RunListener() {
            @Override
            public void hostStarted(String host, String what) {
                steps.add(host + ": " + what);
            }
        };
        try (LocalPlay p = new LocalPlay(dir, PLAY, Map.of("cpus", 2))) {
            HostPlan plan = new Planner(p.context(Mode.PLAN, listener)).plan(p.session);

            assertThat(steps).containsExactly("local: connecting", "local: reading current values");
            assertThat(plan.host().vars()).containsEntry("greeting", "hello").containsEntry("inventory_hostname", "local");
            KindPlan template = plan.plans().get("template");
            assertThat(template.files()).singleElement().satisfies(f -> {
                assertThat(f.path()).isEqualTo(dir.resolve("motd").toString());
                assertThat(f.before()).as("the current content, read from the host").isEqualTo("old words\n");
                assertThat(f.after()).isEqualTo("hello from local\n");
            });
            assertThat(template.changes()).anySatisfy(c -> {
                assertThat(c.key()).isEqualTo(dir.resolve("motd") + " mode");
                assertThat(c.current()).isEqualTo("0644");
                assertThat(c.desired()).isEqualTo("0640");
                assertThat(c.state()).isEqualTo(ChangeState.CHANGE);
            });
            // vmx cannot plan without a VM: it fails alone, the template kind is still planned.
            assertThat(plan.errors()).containsOnlyKeys("vmx");
            assertThat(plan.errors().get("vmx")).contains("host local names no VM: set vsphere_vm");

            assertThat(plan.taskResults()).extracting(TaskResult::name, TaskResult::status).containsExactly(
                    tuple("motd", TaskResult.Status.CHANGED),
                    tuple("only on big hosts", TaskResult.Status.SKIPPED),
                    tuple("broken", TaskResult.Status.FAILED),
                    tuple("VM hardware", TaskResult.Status.FAILED));
            assertThat(plan.taskResults().get(1).message()).isEqualTo("condition is false: cpus > 64");
            assertThat(plan.taskResults().get(2).message()).contains("task 'broken'").contains("missing_dir");
            assertThat(plan.taskResults().get(3).message()).contains("names no VM");
            assertThat(Files.readString(dir.resolve("motd"))).as("planning changes nothing").isEqualTo("old words\n");
        }
    }
}
