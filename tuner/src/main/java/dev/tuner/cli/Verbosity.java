package dev.tuner.cli;

import picocli.CommandLine.Option;

/** -v, -vv, -vvv: on every command that works on hosts or files, as Ansible users type it out of habit. */
public class Verbosity {
    @Option(names = "-v", description = "More detail; repeat for more (-vvv shows stack traces of internal errors).")
    boolean[] verbose = new boolean[0];

    int level() {
        return verbose.length;
    }
}
