package dev.tuner.run;

import dev.tuner.diag.TunerException;
import dev.tuner.journal.RunJournal;
import dev.tuner.playbook.Play;
import dev.tuner.playbook.Playbook;
import dev.tuner.playbook.Task;
import dev.tuner.transport.Connection;
import dev.tuner.transport.TransportException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs a playbook over hosts: plays in order; within a play, hosts in batches ({@code serial}),
 * up to {@code forks} hosts at a time. A host that fails or cannot be reached never stops the
 * others.
 */
public final class Runner {
    /** Picks the hosts of a play's pattern (with --limit applied) and names the pattern parts that matched nothing. */
    public interface HostSelector {
        Selection select(String pattern);
    }

    public record Selection(List<Target> hosts, List<String> unmatched) {}

    private final RunOptions options;
    private final Function<Target, Connection> opener;
    private final RunListener listener;
    private final RunJournal journal;

    public Runner(RunOptions options, Function<Target, Connection> opener, RunListener listener, RunJournal journal) {
        this.options = options;
        this.opener = opener;
        this.listener = listener;
        this.journal = journal;
        if (options.mode() == Mode.APPLY && journal == null) throw new IllegalArgumentException("apply needs a journal");
    }

    public RunResult run(Playbook playbook, HostSelector selector) {
        Instant started = Instant.now();
        List<RunResult.PlayResult> plays = new ArrayList<>();
        Map<String, Map<String, Object>> factCache = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(options.forks(), r -> {
            Thread t = new Thread(r, "tuner-host");
            t.setDaemon(true);
            return t;
        });
        // Closed after the connections: vSphere sessions shared by the hosts end with the run.
        try (dev.tuner.settings.RunScope scope = new dev.tuner.settings.RunScope();
             Connections connections = new Connections(opener)) {
            for (Play play : playbook.plays()) {
                Selection sel = selector.select(play.hosts());
                listener.playStarted(play.label(), sel.hosts().size());
                List<HostResult> results = new ArrayList<>();
                for (List<Target> batch : Batches.split(sel.hosts(), play.serial())) {
                    List<Future<HostResult>> futures = new ArrayList<>();
                    for (Target t : batch) {
                        HostWork work = new HostWork(play, playbook.baseDir(), t, options, connections, scope, factCache, journal, listener);
                        futures.add(pool.submit(work::run));
                    }
                    for (Future<HostResult> f : futures) {
                        HostResult r = await(f);
                        results.add(r);
                        listener.hostFinished(r);
                    }
                }
                plays.add(new RunResult.PlayResult(play.label(), play.hosts(), results, sel.unmatched()));
            }
        } finally {
            pool.shutdownNow();
        }
        return new RunResult(journal != null ? journal.id() : null, options.mode(), playbook.displayName(), started, Instant.now(), plays);
    }

    private static HostResult await(Future<HostResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TunerException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            throw new TunerException("internal error: " + c, c);
        }
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

    static boolean isUnreachable(Throwable e) {
        return e instanceof TransportException;
    }
}
