package dev.tuner.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of commands that run a playbook over hosts: tags, extra vars, forks, SSH trust. */
public class RunCommandOptions {
    @Option(names = {"-t", "--tags"}, paramLabel = "TAGS", split = ",", description = "Only tasks with these tags.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--skip-tags", paramLabel = "TAGS", split = ",", description = "Skip tasks with these tags.")
    List<String> skipTags = new ArrayList<>();

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS", description = ExtraVars.DESCRIPTION)
    List<String> extraVars = new ArrayList<>();

    @Option(names = {"-f", "--forks"}, paramLabel = "N", description = "Hosts worked on in parallel (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int forks = 10;

    @Option(names = "--accept-new-host-keys", description = "Trust the host key of hosts not yet in known_hosts and record it (never a changed key).")
    boolean acceptNewHostKeys;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal directory (default: .tuner/ beside the inventory; env TUNER_JOURNAL).")
    String journal;

    @Option(names = "--show-secrets", description = "Show the values of no_log tasks and the diffs of files other users may not read, which output hides by default.")
    boolean showSecrets;
}
