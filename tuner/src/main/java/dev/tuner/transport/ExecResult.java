package dev.tuner.transport;

import java.nio.charset.StandardCharsets;

/** What a command printed and how it ended. */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {
    public String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String err() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    public boolean ok() {
        return exitCode == 0;
    }
}
