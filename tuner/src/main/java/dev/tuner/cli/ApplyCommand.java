package dev.tuner.cli;

import dev.tuner.report.Interruption;
import dev.tuner.run.Mode;
import dev.tuner.run.RunResult;
import dev.tuner.run.VerifyOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "apply",
        mixinStandardHelpOptions = true,
        description = {"Make the hosts match the playbook, measuring before and after.",
                "Every change is journaled first (what was there before), so 'tuner rollback' can restore it;",
                "a host that fails mid-apply is reverted."},
        footer = {"", "Examples:",
                "  tuner apply playbooks/db-host.yml -i prod",
                "  tuner apply playbooks/db-host.yml -i prod -l db01.example.com --check --diff",
                "  tuner apply playbooks/db-host.yml -i prod -e swappiness=5 -f 20",
                "  tuner apply playbooks/vm-guest.yml -i vsphere --allow-power-cycle",
                "", "While it works on a host, apply holds a lock on it (and on the journal): a second run is refused, naming",
                "the holder, or waits with --lock-timeout. SIGINT/SIGTERM stop it gracefully: no new change starts,",
                "hosts in the middle of a change finish it or are reverted, and each host's state is listed.",
                "", "Exit codes: 0 done, 1 a host failed or was unreachable (or refused: locked), 2 changes pending (--check only),",
                "3 verified regression, 130 / 143 stopped by SIGINT / SIGTERM."},
        sortOptions = false)
final class ApplyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "Playbook file.")
    Path playbook;

    @Option(names = {"-C", "--check"}, description = "Change nothing; report what would change (same as 'tuner plan').")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show unified diffs of the files written.")
    boolean diff;

    @Option(names = "--allow-power-cycle",
            description = "VMs may be shut down (guest shutdown), reconfigured and powered on again for vmx changes that need it,"
                    + " unless a play or task says power_cycle: refused.")
    boolean allowPowerCycle;

    @Mixin VerifyCliOptions verify;
    @Mixin InventoryOptions inventory;
    @Mixin RunCommandOptions run;
    @Mixin SliceOptions slicing;
    @Mixin OutputOptions output;
    @Mixin LockOptions lock;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PlaybookRun.Prepared p = PlaybookRun.prepare(playbook, inventory, run, slicing);
        Progress progress = Progress.forTerminal();
        VerifyOptions measuring = check ? VerifyOptions.OFF : verify.options(p.playbook(), progress);
        Interrupts interrupts = Main.interrupts(spec);
        RunResult result;
        String endNotJournaled = null;
        try {
            result = PlaybookRun.execute(p, inventory, run, check ? Mode.PLAN : Mode.APPLY, check ? "plan" : "apply",
                    progress, allowPowerCycle, measuring, lock, interrupts, spec.commandLine().getErr());
        } catch (PlaybookRun.EndNotJournaled e) {
            result = e.result();
            endNotJournaled = e.getMessage();
        }
        if (verify.report != null) HtmlPage.write(verify.report, result);
        // Taken once: the document and the exit code tell the same story even if a signal comes now.
        Interruption interrupted = interrupts.interruption();
        spec.commandLine().getOut().print(Rendering.render(result, output, diff || check, p.slices(), p.sliceLine(inventory.limit), run.showSecrets,
                interrupted, endNotJournaled));
        spec.commandLine().getOut().flush();
        PrintWriter err = spec.commandLine().getErr();
        if (endNotJournaled != null) {
            err.println("tuner: " + endNotJournaled);
            err.flush();
        }
        if (interrupted == null) return result.exitCode(endNotJournaled == null);
        err.println("Interrupted (" + interrupted.signal() + "): no change was started after it. Hosts as the run left them:");
        err.print(Interruption.lines(Interruption.hostStates(result, run.showSecrets)));
        if (Interruption.leftChanges(result)) err.println("To undo what this run changed: " + PlaybookRun.rollbackCommand(result.runId(), inventory, run));
        err.flush();
        return interrupted.exitCode();
    }
}
