package dev.tuner.run;

import dev.tuner.journal.RunJournal;
import dev.tuner.playbook.Play;
import dev.tuner.settings.RunScope;
import dev.tuner.transport.StopRequest;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every host of one play shares while the run works on it.
 *
 * @param playbookDir where the play's relative files are found
 * @param factCache   facts per host, gathered once per run
 * @param journal     null unless applying
 * @param controls    the hosts measured beside this batch's changed hosts
 * @param stop        the operator's request to stop the run: no host starts a change once it is set
 */
record PlayContext(Play play, Path playbookDir, RunOptions options, RunScope scope, Map<String, Map<String, Object>> factCache,
                   RunJournal journal, RunListener listener, Controls controls, StopRequest stop) {

    PlayContext(Play play, Path playbookDir, RunOptions options, RunScope scope, Map<String, Map<String, Object>> factCache,
                RunJournal journal, RunListener listener) {
        this(play, playbookDir, options, scope, factCache, journal, listener, Controls.NONE, new StopRequest());
    }

    /** The same play for one batch, with that batch's controls. */
    PlayContext withControls(Controls c) {
        return new PlayContext(play, playbookDir, options, scope, factCache, journal, listener, c, stop);
    }
}
