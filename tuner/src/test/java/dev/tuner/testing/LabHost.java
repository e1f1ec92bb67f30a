package dev.tuner.testing;

import dev.tuner.inventory.Inventory;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.SettingKind;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ConnectionFactory;
import dev.tuner.transport.SshOptions;
import java.util.Map;

/**
 * Drives a kind on a lab host over SSH the way a run does (one read script, plan, apply, inverse
 * plan for rollback), connecting with the variables the lab's inventory gives the host.
 */
public final class LabHost extends KindDriver implements AutoCloseable {
    private final Connection conn;

    public LabHost(SettingKind kind, LabHosts lab, LabHosts.Host labHost) {
        this(kind, Inventory.fromFile(lab.inventoryFile()).host(labHost.name()).orElseThrow());
    }

    private LabHost(SettingKind kind, dev.tuner.inventory.Host h) {
        super(kind, new HostContext(h.name(), h.vars(), Map.of()));
        this.conn = ConnectionFactory.open(h.connection(), SshOptions.defaults());
    }


    @Override
    Connection connection() {
        return conn;
    }

    @Override
    public void close() {
        conn.close();
    }
}
