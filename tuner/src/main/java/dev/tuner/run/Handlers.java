package dev.tuner.run;

import dev.tuner.diag.TunerException;
import dev.tuner.journal.RunJournal;
import dev.tuner.playbook.Handler;
import dev.tuner.playbook.Play;
import dev.tuner.playbook.Task;
import dev.tuner.settings.HostContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Service actions on one host, on the session's current connection: a play's handlers (each runs
 * once, after the tasks, when a changed task notifies it, in the order the play defines them), and
 * the actions a rollback does again. Each action is journaled once done, so a rollback can do it again.
 */
final class Handlers {
    private final HostSession session;
    private final HostContext host;
    private final RunJournal journal;
    private final String play;
    private final RunListener listener;

    Handlers(HostSession session, HostContext host, RunJournal journal, String play, RunListener listener) {
        this.session = session;
        this.host = host;
        this.journal = journal;
        this.play = play;
        this.listener = listener;
    }

    /** Runs the handlers of {@code play} that its changed {@code tasks} notify; adds their names to {@code ran}; returns an error or null. */
    String notifiedBy(Play play, List<TaskResult> tasks, List<String> ran) {
        Set<String> notified = new LinkedHashSet<>();
        for (TaskResult tr : tasks) {
            if (tr.status() != TaskResult.Status.CHANGED) continue;
            Task t = play.tasks().stream().filter(x -> x.index() == tr.task()).findFirst().orElseThrow();
            notified.addAll(t.notifies());
        }
        for (Handler h : play.handlers()) {
            if (notified.stream().noneMatch(h::answers)) continue;
            String err = perform("handler " + h.name(), h.service(), h.state());
            if (err != null) return "handler '" + h.name() + "': " + err;
            ran.add(h.name());
        }
        return null;
    }

    /** Does service actions again ("name state", as journaled), in order; adds them to {@code ran}; returns an error or null. */
    String again(List<String> actions, List<String> ran) {
        for (String action : actions) {
            String[] nameState = action.split(" ", 2);
            String err = perform("service " + action, nameState[0], nameState[1]);
            if (err != null) return err;
            ran.add(action);
        }
        return null;
    }

    private String perform(String progress, String service, String state) {
        listener.hostStarted(session.hostName(), progress);
        String err;
        try {
            err = ServiceControl.run(session.connection(), host, service, state);
        } catch (TunerException e) {
            err = HostErrors.unreachable(e) ? "connection lost: " + e.getMessage() : e.getMessage();
        }
        if (err == null) journal.services(session.hostName(), play, List.of(service + " " + state));
        return err;
    }
}
