package dev.tuner.testing;

import dev.tuner.settings.HostContext;
import dev.tuner.settings.SettingKind;
import dev.tuner.transport.Connection;
import dev.tuner.transport.LocalConnection;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Drives a kind on this machine the way a run does (one read script through /bin/sh, plan,
 * apply, inverse plan for rollback), with every path pointed into a test directory by host vars.
 */
public final class LocalHost extends KindDriver {
    private final LocalConnection conn = LocalConnection.thisMachine();

    public LocalHost(SettingKind kind, Map<String, Object> vars, Path playbookDir) {
        super(kind, new HostContext("localhost", vars, Map.of("container_runtimes", List.of()), playbookDir));
    }

    @Override
    Connection connection() {
        return conn;
    }


    /**
     * Puts a listening UNIX socket at {@code p}: it exists, but opening it for reading fails even
     * for root, so a read probe of it reports an error. Closing removes it.
     */
    public static AutoCloseable unreadable(Path p) throws IOException {
        ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        socket.bind(UnixDomainSocketAddress.of(p));
        return () -> {
            socket.close();
            Files.deleteIfExists(p);
        };
    }

    public static byte[] bytes(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllBytes(p) : null;
    }

    public static String text(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
