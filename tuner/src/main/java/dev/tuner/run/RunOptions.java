package dev.tuner.run;

import java.util.Map;

/**
 * How a run behaves, from the command line. {@code allowPowerCycle} ({@code --allow-power-cycle})
 * reaches kinds as the host variable {@value #ALLOW_POWER_CYCLE_VAR}; {@code verify} says how
 * apply measures its changes.
 */
public record RunOptions(
        Mode mode,
        int forks,
        TagFilter tags,
        Map<String, Object> extraVars,
        boolean allowPowerCycle,
        VerifyOptions verify) {

    public static final String ALLOW_POWER_CYCLE_VAR = dev.tuner.settings.HostContext.ALLOW_POWER_CYCLE_VAR;

    public RunOptions {
        if (verify == null) verify = VerifyOptions.OFF;
        if (forks < 1) throw new IllegalArgumentException("forks must be at least 1");
        extraVars = Map.copyOf(extraVars);
    }

    public RunOptions(Mode mode, int forks, TagFilter tags, Map<String, Object> extraVars, boolean allowPowerCycle) {
        this(mode, forks, tags, extraVars, allowPowerCycle, VerifyOptions.OFF);
    }

    public RunOptions(Mode mode, int forks, TagFilter tags, Map<String, Object> extraVars) {
        this(mode, forks, tags, extraVars, false);
    }
}
