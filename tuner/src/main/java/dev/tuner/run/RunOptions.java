package dev.tuner.run;

import java.util.Map;

/** How a run behaves, from the command line. */
public record RunOptions(
        Mode mode,
        int forks,
        TagFilter tags,
        Map<String, Object> extraVars) {

    public RunOptions {
        if (forks < 1) throw new IllegalArgumentException("forks must be at least 1");
        extraVars = Map.copyOf(extraVars);
    }
}
