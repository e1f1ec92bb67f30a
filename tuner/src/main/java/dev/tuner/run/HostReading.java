package dev.tuner.run;

import dev.tuner.journal.HostChanges;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Desired;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.registry.SettingKinds;
import dev.tuner.transport.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a host holds now of what a run changed, read as a plan reads it: the values through each
 * kind's own read and plan of the settings the run's plans were made for (one script, one exec),
 * the files byte for byte in the same script.
 */
final class HostReading {
    private static final String FILE_PROBE = "rollback:file:";

    /**
     * A value as read now: {@code current}, or why it is not known. {@code asTheRunWanted}: the
     * kind, planning the run's own settings again, finds nothing to change (in its own terms: a
     * key a run removed reads as absent, a number as the kernel prints it).
     */
    record Value(String current, String unknown, boolean asTheRunWanted) {
        boolean known() {
            return unknown == null;
        }
    }

    private final Map<String, Map<String, Change>> values;
    private final Map<String, String> unreadable;
    private final ReadOutput output;

    private HostReading(Map<String, Map<String, Change>> values, Map<String, String> unreadable, ReadOutput output) {
        this.values = values;
        this.unreadable = unreadable;
        this.output = output;
    }

    /** Reads the host. Throws what kept it from running the read (a TransportException when it cannot be reached). */
    static HostReading read(Connection connection, HostContext host, HostChanges changes) {
        Map<String, List<Desired>> settings = new LinkedHashMap<>(changes.settings());
        settings.keySet().retainAll(changes.kinds());
        ReadScript script = new ReadScript();
        Map<String, String> unreadable = new HashMap<>();
        settings.forEach((kind, wanted) -> {
            try {
                SettingKinds.require(kind).read(wanted, host, script);
            } catch (RuntimeException e) {
                unreadable.put(kind, e.getMessage());
            }
        });
        for (String kind : changes.kinds())
            for (HostChanges.File f : changes.files(kind)) script.file(FILE_PROBE + f.path(), f.path());
        ReadOutput out = script.isEmpty() ? ReadOutput.parse("")
                : ReadOutput.parse(connection.exec(script.render(), null, Duration.ofMinutes(2)).out());
        Map<String, Map<String, Change>> values = new HashMap<>();
        settings.forEach((kind, wanted) -> {
            if (unreadable.containsKey(kind)) return;
            try {
                Map<String, Change> byKey = new HashMap<>();
                SettingKinds.require(kind).plan(wanted, host, out).changes().forEach(c -> byKey.put(c.key(), c));
                values.put(kind, byKey);
            } catch (RuntimeException e) {
                unreadable.put(kind, HostErrors.contain(e, host.hostName(), null, kind).getMessage());
            }
        });
        return new HostReading(values, unreadable, out);
    }

    /** The value of one setting now, as its kind plans it. */
    Value value(String kind, String key) {
        if (unreadable.containsKey(kind)) return new Value(null, unreadable.get(kind), false);
        Map<String, Change> byKey = values.get(kind);
        if (byKey == null) return new Value(null, "the journal of the run does not name the settings to read (it was written by an older tuner)", false);
        Change c = byKey.get(key);
        if (c == null) return new Value(null, kind + " no longer finds " + key + " on this host", false);
        // A setting the kind could not judge still has a current value when it could read it; null otherwise means absent.
        if (c.current() == null && (c.state() == ChangeState.FAILED || c.state() == ChangeState.UNSUPPORTED))
            return new Value(null, c.note() != null ? c.note() : "not readable", false);
        return new Value(c.current(), null, c.state() == ChangeState.OK);
    }

    /** A file's content now: ok with its text, missing, or an error with the reason. */
    ReadOutput.Entry file(String path) {
        return output.entry(FILE_PROBE + path);
    }
}
