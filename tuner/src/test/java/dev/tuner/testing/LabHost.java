package dev.tuner.testing;

import java.time.Duration;
import dev.tuner.inventory.Inventory;
import dev.tuner.run.Inverse;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Desired;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.SettingKind;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ConnectionFactory;
import dev.tuner.transport.SshOptions;
import java.util.List;
import java.util.Map;

/**
 * Drives a kind on a lab host over SSH the way a run does (one read script, plan, apply, inverse
 * plan for rollback), connecting with the variables the lab's inventory gives the host.
 */
public final class LabHost implements AutoCloseable {
    public final HostContext host;
    private final SettingKind kind;
    private final Connection conn;

    public LabHost(SettingKind kind, LabHosts lab, LabHosts.Host labHost) {
        dev.tuner.inventory.Host h = Inventory.fromFile(lab.inventoryFile()).host(labHost.name()).orElseThrow();
        this.kind = kind;
        this.host = new HostContext(h.name(), h.vars(), Map.of());
        this.conn = ConnectionFactory.open(h.connection(), SshOptions.defaults());
    }

    public KindPlan plan(List<Desired> wanted) {
        ReadScript script = new ReadScript();
        kind.read(wanted, host, script);
        return kind.plan(wanted, host, script.run(conn, Duration.ofMinutes(1)));
    }

    public ApplyReport apply(KindPlan plan) {
        return kind.apply(conn, plan, host);
    }

    /** What rollback does with the journal's record of an apply. */
    public ApplyReport rollback(ApplyReport applied) {
        return kind.apply(conn, Inverse.of(kind.name(), applied), host);
    }

    @Override
    public void close() {
        conn.close();
    }
}
