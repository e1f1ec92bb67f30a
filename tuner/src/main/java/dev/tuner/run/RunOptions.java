package dev.tuner.run;

import java.util.Map;

/** How a run behaves, from the command line. */
public record RunOptions(
        Mode mode,
        int forks,
        TagFilter tags,
        Map<String, Object> extraVars,
        VerifyOptions verify) {

    public RunOptions(Mode mode, int forks, TagFilter tags, Map<String, Object> extraVars) {
        this(mode, forks, tags, extraVars, VerifyOptions.OFF);
    }

    public RunOptions {
        if (verify == null) verify = VerifyOptions.OFF;
        if (forks < 1) throw new IllegalArgumentException("forks must be at least 1");
        extraVars = Map.copyOf(extraVars);
    }
}
