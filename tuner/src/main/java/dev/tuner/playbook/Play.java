package dev.tuner.playbook;

import dev.tuner.diag.Location;
import java.util.List;
import java.util.Map;

/** One play: which hosts, which variables, which tasks and handlers. */
public record Play(
        int index,
        String name,
        String hosts,
        Map<String, Object> vars,
        List<String> varsFiles,
        Map<String, Object> varsFromFiles,
        List<Task> tasks,
        List<Handler> handlers,
        List<String> tags,
        List<String> serial,
        boolean gatherFacts,
        Map<String, Object> options,
        Location at) {

    public String label() {
        return name != null ? name : "play #" + (index + 1) + " (" + hosts + ")";
    }
}
