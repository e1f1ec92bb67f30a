package dev.tuner.cli;

import dev.tuner.diag.InputException;
import dev.tuner.diag.Location;
import dev.tuner.inventory.Inventory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** -i and --limit, as Ansible users know them. */
public class InventoryOptions {
    @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY",
            description = "Inventory: a path, or NAME for inventories/NAME.yml|yaml|ini or inventories/NAME/. Repeat to merge.")
    List<String> inventories = new ArrayList<>();

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Further limit hosts with a pattern (web:&prod, db[0:2], ~regex, ...).")
    String limit;

    Inventory load() {
        return load(null);
    }

    /** With the group_vars/ and host_vars/ beside the playbook in {@code playbookDir} (null: none), as ansible-playbook reads them. */
    Inventory load(Path playbookDir) {
        if (inventories.isEmpty()) {
            throw new InputException(Location.of("-i"), "no inventory given: use -i NAME (e.g. -i local) or -i PATH");
        }
        return Inventory.load(inventories, Path.of("").toAbsolutePath(), playbookDir);
    }
}
