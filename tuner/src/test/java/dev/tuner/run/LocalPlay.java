package dev.tuner.run;

import dev.tuner.journal.Journal;
import dev.tuner.journal.RunJournal;
import dev.tuner.playbook.Playbook;
import dev.tuner.playbook.PlaybookParser;
import dev.tuner.settings.RunScope;
import dev.tuner.transport.ConnectionFactory;
import dev.tuner.transport.ConnectionSpec;
import dev.tuner.transport.SshOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One play run on this machine through the local connection, the way the runner runs it, with
 * everything it touches in a test directory: the playbook, its templates, the files it writes,
 * and the journal. The host variable {@code dir} names that directory for the playbook.
 */
final class LocalPlay implements AutoCloseable {
    final Path dir;
    final Playbook playbook;
    final Journal journal;
    final RunJournal run;
    final HostSession session;
    final RunScope scope = new RunScope();

    LocalPlay(Path dir, String playbookYaml, Map<String, Object> hostVars) {
        this.dir = dir;
        try {
            Path pb = dir.resolve("play.yml");
            Files.writeString(pb, playbookYaml);
            this.playbook = PlaybookParser.load(pb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.journal = new Journal(dir.resolve("journal"));
        this.run = journal.begin("apply", playbook.displayName(), List.of("test"), null);
        Map<String, Object> vars = new LinkedHashMap<>(hostVars);
        vars.put("ansible_connection", "local");
        vars.put("dir", dir.toString());
        this.session = new HostSession(new Target("local", vars, List.of()),
                t -> ConnectionFactory.open(ConnectionSpec.fromVars(t.name(), t.vars()), SshOptions.defaults()));
    }

    PlayContext context(Mode mode, RunListener listener) {
        return new PlayContext(playbook.plays().get(0), playbook.baseDir(), new RunOptions(mode, 1, TagFilter.ALL, Map.of()), scope,
                new ConcurrentHashMap<>(), run, listener);
    }

    HostPlan plan() {
        return new Planner(context(Mode.APPLY, RunListener.NONE)).plan(session);
    }

    Applier applier(HostPlan plan) {
        return new Applier(session, plan.host(), run, "play", RunListener.NONE, i -> playbook.plays().get(0).tasks().get(i).label());
    }

    @Override
    public void close() {
        session.close();
        scope.close();
    }
}
