package dev.tuner.testing;

import dev.tuner.run.Inverse;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Desired;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.SettingKind;
import dev.tuner.transport.Connection;
import java.time.Duration;
import java.util.List;

/**
 * Drives one kind over one connection the way a run does: one read script, plan, apply, and the
 * inverse plan a rollback applies. {@link LocalHost} and {@link LabHost} give it their connection.
 */
abstract class KindDriver {
    public final HostContext host;
    private final SettingKind kind;

    KindDriver(SettingKind kind, HostContext host) {
        this.kind = kind;
        this.host = host;
    }

    abstract Connection connection();

    public KindPlan plan(List<Desired> wanted) {
        ReadScript script = new ReadScript();
        kind.read(wanted, host, script);
        return kind.plan(wanted, host, script.run(connection(), Duration.ofMinutes(1)));
    }

    public ApplyReport apply(KindPlan plan) {
        return kind.apply(connection(), plan, host);
    }

    /** What rollback does with the journal's record of an apply. */
    public ApplyReport rollback(ApplyReport applied) {
        return kind.apply(connection(), Inverse.of(kind.name(), applied), host);
    }
}
