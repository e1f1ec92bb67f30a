package dev.tuner.cli;

import dev.tuner.run.Target;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ConnectionFactory;
import dev.tuner.transport.ConnectionSpec;
import dev.tuner.transport.SshOptions;
import java.util.function.Function;

/** Opens the connection a host's variables ask for (local, or ssh with the run's trust options). */
final class ConnectionOpener {
    private ConnectionOpener() {}

    static Function<Target, Connection> create(boolean acceptNewHostKeys) {
        SshOptions options = SshOptions.defaults().withAcceptNewHostKeys(acceptNewHostKeys);
        return t -> ConnectionFactory.open(ConnectionSpec.fromVars(t.name(), t.vars()), options);
    }
}
