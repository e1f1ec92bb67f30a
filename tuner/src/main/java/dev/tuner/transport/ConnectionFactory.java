package dev.tuner.transport;

import dev.tuner.transport.ssh.SshConnection;

/** Opens the connection an inventory host asks for: {@code connection: local} or ssh. */
public final class ConnectionFactory {
    private ConnectionFactory() {}

    /** Connects (and for ssh authenticates) right away, so an unreachable host fails here. */
    public static Connection open(ConnectionSpec spec, SshOptions options) {
        if (options == null) options = SshOptions.defaults();
        if (spec.isLocal()) return new LocalConnection(spec, options);
        if (ConnectionSpec.SSH.equals(spec.type())) return SshConnection.open(spec, options);
        throw new TransportException(spec.hostName() + ": connection type '" + spec.type()
                + "' is not supported (use ssh or local)");
    }
}
