package dev.tuner.transport.ssh;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * ProxyJump: the next hop's ssh stream is a direct-tcpip channel of the jump host's session (what
 * {@code ssh -J} does), so no local port is opened and the target's name is resolved by the jump host.
 */
final class JumpProxy implements Proxy {
    private final Session jump;
    private Channel channel;
    private InputStream in;
    private OutputStream out;

    JumpProxy(Session jump) {
        this.jump = jump;
    }

    @Override
    public void connect(SocketFactory ignored, String host, int port, int timeout) throws Exception {
        channel = jump.getStreamForwarder(host, port);
        // Streams must be taken before connect, or the first bytes from the target are lost.
        in = channel.getInputStream();
        out = channel.getOutputStream();
        channel.connect(timeout);
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public Socket getSocket() {
        return null; // no socket of our own: the bytes travel inside the jump host's session
    }

    @Override
    public void close() {
        if (channel != null) channel.disconnect();
    }
}
