package dev.tuner.run;

import dev.tuner.facts.FactGatherer;
import dev.tuner.playbook.Play;
import dev.tuner.playbook.Task;
import dev.tuner.settings.Desired;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.SpecException;
import dev.tuner.settings.registry.SettingKinds;
import dev.tuner.template.Templater;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Works out what one play would change on one host: facts (when the play can read them, see
 * {@link FactsUse}), variables, each selected task's {@code when} and templated values, one
 * batched read of every current value (every kind's probes in one script, one exec), then a plan
 * per kind.
 */
final class Planner {
    private final PlayContext ctx;
    private final Templater templater = new Templater();

    Planner(PlayContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The host's plan. Throws what kept it from reading the host (a TransportException when it
     * cannot be reached). A kind that cannot plan (its API refused the login, the VM does not exist)
     * fails alone: the other kinds are still planned and shown, see {@link HostPlan#errors()}.
     */
    HostPlan plan(HostSession session) {
        Play play = ctx.play();
        String name = session.hostName();
        ctx.listener().hostStarted(name, "connecting");
        // Connect first even when nothing needs reading: a host that cannot be reached is reported so.
        session.connection();
        Map<String, Object> facts = FactsUse.needed(play, session.target(), ctx.options().extraVars())
                ? ctx.factCache().computeIfAbsent(name, k -> FactGatherer.gather(session.connection())) : Map.of();
        Map<String, Object> vars = Variables.forHost(session.target(), play.vars(), play.varsFromFiles(), ctx.options().extraVars(), facts,
                templater);
        if (ctx.options().allowPowerCycle()) vars.put(RunOptions.ALLOW_POWER_CYCLE_VAR, true);
        HostContext host = new HostContext(name, vars, facts, ctx.playbookDir(), taskOptions(), ctx.scope(), session::reconnect);
        List<HostPlan.Resolved> resolved = resolve(vars);

        Map<String, List<Desired>> byKind = new LinkedHashMap<>();
        for (HostPlan.Resolved r : resolved) {
            if (r.desired() != null) byKind.computeIfAbsent(r.task().kind(), k -> new ArrayList<>()).addAll(r.desired());
        }
        Map<String, KindPlan> plans = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        if (!byKind.isEmpty()) {
            ctx.listener().hostStarted(name, "reading current values");
            ReadScript script = new ReadScript();
            byKind.forEach((k, d) -> SettingKinds.require(k).read(d, host, script));
            ReadOutput current = script.run(session.connection(), Duration.ofMinutes(2));
            byKind.forEach((k, d) -> {
                try {
                    plans.put(k, SettingKinds.require(k).plan(d, host, current));
                } catch (RuntimeException e) {
                    errors.put(k, HostErrors.contain(e, name, null, k).getMessage());
                }
            });
        }
        return new HostPlan(host, resolved, plans, errors);
    }

    /** Each task's options (power_cycle, force, snapshot, ...) with the play's as defaults. */
    private Map<Integer, Map<String, Object>> taskOptions() {
        Map<Integer, Map<String, Object>> out = new LinkedHashMap<>();
        for (Task t : ctx.play().tasks()) {
            Map<String, Object> o = new LinkedHashMap<>(ctx.play().options());
            o.putAll(t.options());
            out.put(t.index(), o);
        }
        return out;
    }

    private List<HostPlan.Resolved> resolve(Map<String, Object> vars) {
        List<HostPlan.Resolved> out = new ArrayList<>();
        for (Task t : selectedTasks(ctx.play(), ctx.options().tags())) {
            try {
                if (t.when() != null && !templater.condition(t.when(), vars)) {
                    out.add(new HostPlan.Resolved(t, null, TaskResult.Status.SKIPPED, "condition is false: " + t.when()));
                    continue;
                }
                Object spec = Variables.render(t.spec(), t.kind(), vars, templater);
                out.add(new HostPlan.Resolved(t, SettingKinds.require(t.kind()).desired(t.index(), spec), null, null));
            } catch (Templater.TemplateError | SpecException e) {
                out.add(new HostPlan.Resolved(t, null, TaskResult.Status.FAILED, t.at() + ": task '" + t.label() + "': " + e.getMessage()));
            }
        }
        return out;
    }

    /** Tasks of a play that the tag filter selects; play tags count for each task, as in Ansible. */
    static List<Task> selectedTasks(Play play, TagFilter filter) {
        List<Task> out = new ArrayList<>();
        for (Task t : play.tasks()) {
            List<String> tags = new ArrayList<>(play.tags());
            tags.addAll(t.tags());
            if (filter.selects(tags)) out.add(t);
        }
        return out;
    }
}
