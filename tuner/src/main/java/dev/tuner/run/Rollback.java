package dev.tuner.run;

import dev.tuner.journal.JournalEvent;
import dev.tuner.journal.RunJournal;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.RunScope;
import dev.tuner.settings.registry.SettingKinds;
import dev.tuner.transport.Connection;
import dev.tuner.transport.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Restores what a journaled run changed: each host's applied changes are undone in reverse order
 * (old runtime values written back, files restored byte for byte). The rollback is itself a
 * journaled run, so it can be rolled back too.
 */
public final class Rollback {
    private final Function<Target, Connection> opener;
    private final RunJournal journal;
    private final int forks;
    private final RunListener listener;

    public Rollback(Function<Target, Connection> opener, RunJournal journal, int forks, RunListener listener) {
        this.opener = opener;
        this.journal = journal;
        this.forks = forks;
        this.listener = listener;
    }

    /** The undo plans of one host, latest change first. */
    public static List<KindPlan> undoPlans(List<JournalEvent> events) {
        List<KindPlan> out = new ArrayList<>();
        for (JournalEvent e : events) {
            if (JournalEvent.APPLIED.equals(e.event()) && e.report() != null) out.add(0, Inverse.of(e.kind(), e.report()));
        }
        return out;
    }

    /** The restarts and reloads handlers did in a run, once each, in the order they happened. */
    static List<String> serviceActions(List<JournalEvent> events) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (JournalEvent e : events) {
            if (!JournalEvent.SERVICES.equals(e.event()) || e.services() == null) continue;
            for (String a : e.services()) if (a.endsWith(" restarted") || a.endsWith(" reloaded")) out.add(a);
        }
        return new ArrayList<>(out);
    }

    public RunResult run(String runId, String playbook, Map<String, List<JournalEvent>> events, List<Target> targets) {
        java.time.Instant started = java.time.Instant.now();
        listener.playStarted("rollback of " + runId, targets.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, forks));
        List<HostResult> results = new ArrayList<>();
        // Sessions shared by the hosts (one vSphere login per endpoint) end with the rollback.
        try (RunScope scope = new RunScope()) {
            List<Future<HostResult>> futures = new ArrayList<>();
            for (Target t : targets) futures.add(pool.submit(() -> host(t, events.getOrDefault(t.name(), List.of()), scope)));
            for (Future<HostResult> f : futures) {
                HostResult r = f.get();
                results.add(r);
                listener.hostFinished(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.tuner.diag.TunerException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new dev.tuner.diag.TunerException("rollback failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        RunResult.PlayResult play = new RunResult.PlayResult("rollback of " + runId, "", results, List.of());
        return new RunResult(journal.id(), Mode.APPLY, playbook, started, java.time.Instant.now(), List.of(play));
    }

    private HostResult host(Target t, List<JournalEvent> events, RunScope scope) {
        List<KindPlan> undo = undoPlans(events);
        String play = "rollback";
        if (undo.stream().noneMatch(KindPlan::hasChanges)) {
            return new HostResult(t.name(), play, HostResult.Status.OK, List.of(), List.of(), List.of("nothing to roll back"), null, "unchanged");
        }
        listener.hostStarted(t.name(), "rolling back");
        // Connections opened again after a guest was power-cycled; closed with this host's rollback.
        List<Connection> reopened = new ArrayList<>();
        HostContext ctx = new HostContext(t.name(), t.vars(), Map.of(), null, Map.of(), scope, () -> {
            Connection again = opener.apply(t);
            synchronized (reopened) {
                reopened.add(again);
            }
            return again;
        });
        List<TaskResult> tasks = new ArrayList<>();
        try (Connection c = opener.apply(t)) {
            journal.before(t.name(), play, undo);
            for (KindPlan p : undo) {
                if (!p.hasChanges()) continue;
                ApplyReport r = SettingKinds.require(p.kind()).apply(c, p, ctx);
                journal.applied(t.name(), play, p.kind(), r);
                List<Change> changes = r.changes();
                List<FileChange> files = r.filesWritten();
                tasks.add(new TaskResult(tasks.size(), "restore " + p.kind(), p.kind(), TaskResult.statusOf(changes, files), changes, files, null));
            }
        } catch (TransportException e) {
            journal.state(t.name(), play, "unreachable", e.getMessage());
            return new HostResult(t.name(), play, HostResult.Status.UNREACHABLE, tasks, List.of(), List.of(), e.getMessage(),
                    tasks.isEmpty() ? "unchanged" : "partially rolled back");
        } catch (RuntimeException e) {
            journal.state(t.name(), play, "failed", e.getMessage());
            return new HostResult(t.name(), play, HostResult.Status.FAILED, tasks, List.of(), List.of(), e.getMessage(),
                    "partially rolled back");
        } finally {
            synchronized (reopened) {
                reopened.forEach(Connection::close);
            }
        }
        boolean failed = tasks.stream().anyMatch(x -> x.changes().stream().anyMatch(ch -> ch.state() == ChangeState.FAILED));
        // Services the run restarted or reloaded picked up the new files: do it again so they run on the restored ones.
        List<String> servicesRun = new ArrayList<>();
        String serviceError = null;
        List<String> actions = serviceActions(events);
        if (!failed && !actions.isEmpty()) {
            try (Connection c = opener.apply(t)) {
                for (String action : actions) {
                    String[] nameState = action.split(" ", 2);
                    listener.hostStarted(t.name(), "service " + action);
                    String err = ServiceControl.run(c, ctx, nameState[0], nameState[1]);
                    if (err != null) {
                        serviceError = err;
                        break;
                    }
                    journal.services(t.name(), play, List.of(action));
                    servicesRun.add(nameState[0] + " " + nameState[1]);
                }
            } catch (TransportException e) {
                serviceError = e.getMessage();
            }
        }
        boolean bad = failed || serviceError != null;
        journal.state(t.name(), play, bad ? "failed" : "ok", failed ? "some values could not be restored"
                : serviceError != null ? "restored, but " + serviceError : "rolled back");
        return new HostResult(t.name(), play, bad ? HostResult.Status.FAILED : HostResult.Status.CHANGED, tasks, servicesRun, List.of(),
                serviceError, failed ? "partially rolled back" : "restored" + (serviceError != null ? "; " + serviceError : ""));
    }
}
