package dev.tuner.inventory;

import java.util.List;

/**
 * The hosts a pattern (and limit) selected, in Ansible's order, and the parts of the pattern that
 * matched no host and no group, so callers can warn or fail naming them.
 */
public record PatternResult(List<Host> hosts, List<String> unmatched) {
    public PatternResult {
        hosts = List.copyOf(hosts);
        unmatched = List.copyOf(unmatched);
    }

    public List<String> hostNames() {
        return hosts.stream().map(Host::name).toList();
    }
}
