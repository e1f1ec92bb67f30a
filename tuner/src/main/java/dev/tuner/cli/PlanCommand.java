package dev.tuner.cli;

import dev.tuner.run.Mode;
import dev.tuner.run.RunResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "plan",
        mixinStandardHelpOptions = true,
        description = "Show what apply would change on each host: current → desired, costs and file diffs. Changes nothing.",
        footer = {"", "Examples:",
                "  tuner plan playbooks/db-host.yml -i local",
                "  tuner plan playbooks/db-host.yml -i prod --limit 'db:&dc1' --tags memory",
                "  tuner plan playbooks/db-host.yml -i prod --format markdown > plan.md",
                "", "Exit codes: 0 nothing to change, 2 changes pending, 1 error."},
        sortOptions = false)
final class PlanCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "Playbook file.")
    Path playbook;

    @Mixin InventoryOptions inventory;
    @Mixin RunCommandOptions run;
    @Mixin SliceOptions slicing;
    @Mixin OutputOptions output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PlaybookRun.Prepared p = PlaybookRun.prepare(playbook, inventory, run, slicing);
        RunResult result = PlaybookRun.execute(p, inventory, run, Mode.PLAN, "plan", Progress.forTerminal());
        spec.commandLine().getOut().print(Rendering.render(result, output, true, p.slices(), p.sliceLine(inventory.limit), run.showSecrets, null));
        spec.commandLine().getOut().flush();
        return result.exitCode();
    }
}
