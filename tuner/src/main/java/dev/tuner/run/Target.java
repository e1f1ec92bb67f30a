package dev.tuner.run;

import java.util.List;
import java.util.Map;

/** A host as the run sees it: its inventory name, merged inventory variables, and groups. */
public record Target(String name, Map<String, Object> vars, List<String> groups) {}
