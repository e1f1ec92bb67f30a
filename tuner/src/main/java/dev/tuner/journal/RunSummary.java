package dev.tuner.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The header of a journaled run: what was run, on what, when, and how it ended. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSummary(
        String id,
        String command,
        String playbook,
        List<String> inventories,
        String started,
        String finished,
        String status,
        String rollbackOf,
        Map<String, Object> counts) {}
