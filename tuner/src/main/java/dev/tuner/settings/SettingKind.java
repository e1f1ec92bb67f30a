package dev.tuner.settings;

import dev.tuner.diag.Diagnostics;
import dev.tuner.transport.Connection;
import dev.tuner.yaml.YamlDocument;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A kind of setting (sysctl, governor, ...): the unit of extension, like an Ansible module.
 * The life of a task: {@link #validate} (no host) → {@link #desired} (templates resolved) →
 * {@link #read} (adds probes to the host's one read script) → {@link #plan} → {@link #apply}.
 * Rollback is {@link #apply} of the inverse plan the journal recorded.
 */
public interface SettingKind {
    /** The kind's name, summary and default benchmarks, declared together. */
    KindInfo info();

    /** The task key naming this kind, e.g. {@code sysctl}. */
    default String name() {
        return info().name();
    }

    /** One line for help texts, the schema and the kinds table in the docs. */
    default String summary() {
        return info().summary();
    }

    /**
     * Whether the kind reads the host's facts itself ({@link HostContext#facts}), beyond the values
     * of its tasks: the engine then gathers them even when no expression of the play names them.
     */
    default boolean readsFacts() {
        return false;
    }

    /**
     * Task keys this kind adds beside its own name (vmx: power_cycle, force, snapshot). The parser
     * accepts them on this kind's tasks and, as defaults, on plays.
     */
    default List<TaskOption> taskOptions() {
        return List.of();
    }

    /**
     * Benchmarks (names of verify/*.yml definitions) that show the effect of one change, used when
     * neither the task nor the play says {@code verify:}. Empty when nothing sensible measures it.
     */
    default List<String> defaultBenchmarks(Change change) {
        return info().benchmarks().forChange(change);
    }

    /** The default benchmarks in words, for the kinds table in the docs. */
    default String defaultBenchmarksDoc() {
        return info().benchmarks().doc();
    }

    /**
     * The JSON Schema of this kind's task value: the resource {@code schema.json} beside the
     * kind's class. The playbook schema is generated from these fragments.
     */
    default String schemaFragment() {
        try (java.io.InputStream in = getClass().getResourceAsStream("schema.json")) {
            if (in == null) throw new IllegalStateException("setting kind " + name() + " has no schema.json beside " + getClass().getName());
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Problems with the host variables this kind reads (vmx: the vSphere endpoint) that need no
     * host to be found: {@code tuner validate} reports them as plan would refuse them. Only
     * variables that are there are checked (another source may still give a missing one), and
     * values holding {{ }} are left for plan.
     */
    default List<String> hostVarProblems(java.util.Map<String, Object> vars) {
        return List.of();
    }

    /** Static checks of the task's value, reported with file:line:col; strings with {{ }} are checked later. */
    void validate(Node spec, YamlDocument doc, Diagnostics diags);

    /** The individual settings a resolved task value asks for. */
    List<Desired> desired(int task, Object spec) throws SpecException;

    /** Adds the probes that read the current state of these settings. */
    void read(List<Desired> wanted, HostContext host, ReadScript script);

    /**
     * Compares what was read with what is wanted. A file to write is made with
     * {@link FileChange#of} from its read entry, which carries the file's mode: output hides the
     * content of a file others may not read, and with it the changes marked
     * {@link Change#inContentOf} that file.
     */
    KindPlan plan(List<Desired> wanted, HostContext host, ReadOutput current);

    /**
     * Makes the host match the plan: changes whose state is CHANGE and files that change. Runtime
     * values first; persisted files only for values the host accepted.
     */
    ApplyReport apply(Connection connection, KindPlan plan, HostContext host);

    /**
     * The plan that undoes what {@code applied} did for the given tasks only (a verified
     * regression rolls back the tasks it concerns). By default a kind whose files serve several
     * tasks can only restore them whole, so every task of the report is undone; kinds that know
     * their file format restore just the tasks' entries.
     */
    default KindPlan undoTasks(ApplyReport applied, java.util.Set<Integer> tasks) {
        return KindPlans.inverse(name(), applied);
    }
}
