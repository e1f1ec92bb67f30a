package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.slice.Slice;
import dev.tuner.slice.SliceChoice;
import dev.tuner.testing.OutputCheckers;
import dev.tuner.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * docs/kubernetes-drift-job.yaml as Kubernetes and tuner read it: every object valid against a JSON
 * Schema of the fields it uses, written from the Kubernetes API reference (Python's jsonschema
 * checks it), and each Indexed Job's pods running a tuner command line that parses, with as many
 * slices as the Job has completions, so the pods' indexes give every slice exactly once.
 */
class KubernetesDriftJobTest {
    private static final Path MANIFEST = Repo.path("docs/kubernetes-drift-job.yaml");
    private static final Path SCHEMA = Repo.resource("kubernetes/batch-v1-subset.schema.json");
    private static final String INDEX_ANNOTATION = "metadata.annotations['batch.kubernetes.io/job-completion-index']";

    @TempDir
    Path tmp;

    @Test
    void everyObjectIsValidAgainstTheApiReferenceSchema() throws Exception {
        assertThat(OutputCheckers.jsonSchemaProblems(MANIFEST, SCHEMA)).isEmpty();
    }

    @Test
    void theSchemaCheckFindsAMisspeltFieldAndAWrongValue() throws Exception {
        String text = Files.readString(MANIFEST);
        Path wrong = tmp.resolve("wrong.yaml");
        Files.writeString(wrong, text.replaceFirst("completionMode: Indexed", "completionsMode: Indexed")
                .replaceFirst("concurrencyPolicy: Forbid", "concurrencyPolicy: Never"));
        List<String> problems = OutputCheckers.jsonSchemaProblems(wrong, SCHEMA);
        assertThat(String.join("\n", problems)).contains("completionsMode").contains("Never");
    }

    @Test
    void eachIndexedJobChecksEverySliceOnceWithItsOwnOutputFile() throws IOException {
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(MANIFEST))) {
            Map<String, Object> o = map(doc);
            if (o.get("kind").equals("Job")) jobs.add(map(o.get("spec")));
            if (o.get("kind").equals("CronJob")) jobs.add(map(map(map(o.get("spec")).get("jobTemplate")).get("spec")));
        }
        assertThat(jobs).as("the CronJob's job and the Job").hasSize(2);
        Set<String> outputs = new HashSet<>();
        for (Map<String, Object> job : jobs) {
            assertThat(job.get("completionMode")).isEqualTo("Indexed");
            int completions = (Integer) job.get("completions");
            assertThat(job.get("parallelism")).isEqualTo(completions);
            Map<String, Object> pod = map(map(job.get("template")).get("spec"));
            assertThat(pod.get("restartPolicy")).as("a Job's pods, and podFailurePolicy, need Never").isEqualTo("Never");
            assertThat(map(((List<?>) map(job.get("podFailurePolicy")).get("rules")).get(0)).get("onExitCodes"))
                    .as("drift found (exit 2) is not retried").isEqualTo(Map.of("containerName", "drift", "operator", "In", "values", List.of(2)));
            Map<String, Object> container = map(((List<?>) pod.get("containers")).get(0));
            assertThat(container.get("command")).isEqualTo(List.of("/usr/local/bin/tuner"));
            Map<String, Object> env = map(((List<?>) container.get("env")).get(0));
            assertThat(env.get("name")).isEqualTo("SLICE_INDEX");
            assertThat(map(map(env.get("valueFrom")).get("fieldRef")).get("fieldPath")).isEqualTo(INDEX_ANNOTATION);

            Set<Slice> slices = new HashSet<>();
            for (int index = 0; index < completions; index++) {
                // What the kubelet passes: $(SLICE_INDEX) expanded; what tuner reads: JOB_COMPLETION_INDEX.
                String podIndex = Integer.toString(index);
                List<String> args = ((List<?>) container.get("args")).stream().map(a -> ((String) a).replace("$(SLICE_INDEX)", podIndex)).toList();
                CommandLine cl = Main.commandLine();
                CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
                assertThat(parsed.hasSubcommand()).as("%s", args).isTrue();
                CommandLine.ParseResult drift = parsed.subcommand();
                assertThat(drift.commandSpec().name()).isEqualTo("drift");
                Integer slicesOption = drift.matchedOptionValue("--slices", null);
                assertThat(slicesOption).as("--slices is the Job's completions").isEqualTo(completions);
                String output = drift.matchedOptionValue("--output", (Path) null).toString();
                assertThat(outputs.add(output)).as("%s written by one pod only", output).isTrue();
                slices.add(SliceChoice.choose(null, slicesOption, Map.of("JOB_COMPLETION_INDEX", podIndex)).slice());
            }
            assertThat(slices).as("the pods' indexes give every slice once").hasSize(completions)
                    .allMatch(s -> s.count() == completions);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
