package dev.tuner.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Privilege escalation with sudo, shared by the local and the ssh transport.
 *
 * <p>Commands run as {@code sudo -n -u USER /bin/sh -c 'SCRIPT'} when sudo needs no password. When
 * it does, the password is fed on stdin ahead of the command's own data with
 * {@code sudo -k -S -p ''}. Feeding a password that sudo does not read would hand it to the command
 * as data, so the first use on a connection probes which of the two cases holds ({@code -k} makes
 * sudo ignore cached credentials, so the answer cannot change between commands), and checks the
 * password once before any real command gets it: with a wrong one, sudo would re-read the
 * command's data as further password attempts.
 */
public final class Become {
    /** Runs a command line with the login shell as the login user (no sudo). */
    @FunctionalInterface
    public interface Runner {
        ExecResult run(String command, byte[] stdin, Duration timeout);
    }

    private final String hostName;
    private final String loginUser;
    private final String becomeUser;
    private final SshOptions options;
    private final Runner runner;
    private boolean probed;
    private String password; // null: sudo needs none

    public Become(String hostName, String loginUser, String becomeUser, SshOptions options, Runner runner) {
        this.hostName = hostName;
        this.loginUser = loginUser;
        this.becomeUser = becomeUser == null || becomeUser.isBlank() ? "root" : becomeUser;
        this.options = options;
        this.runner = runner;
    }

    /** sudo is needed only when become is asked for and the login user is someone else. */
    public static boolean needed(ConnectionSpec spec, String loginUser) {
        String target = spec.becomeUser() == null || spec.becomeUser().isBlank() ? "root" : spec.becomeUser();
        return spec.become() && !target.equals(loginUser);
    }

    /**
     * The command line that runs {@code script} as {@code becomeUser}; {@code withPassword} reads the
     * password from the first line of stdin without printing a prompt.
     */
    public static String command(String becomeUser, String script, boolean withPassword) {
        String sudo = withPassword ? "sudo -k -S -p '' -u " : "sudo -n -u ";
        return "exec " + sudo + Shell.quote(becomeUser) + " /bin/sh -c " + Shell.quote(script);
    }

    /** Runs {@code script} as the become user. */
    public ExecResult exec(String script, byte[] stdin, Duration timeout) {
        return exec(script, stdin, timeout, runner);
    }

    /** Runs {@code script} as the become user through {@code through} (say, one that stops it on request); the probe uses the usual runner. */
    public ExecResult exec(String script, byte[] stdin, Duration timeout, Runner through) {
        ensureProbed(timeout);
        if (password == null) return through.run(command(becomeUser, script, false), stdin, timeout);
        return through.run(command(becomeUser, script, true), withPasswordLine(stdin), timeout);
    }

    private synchronized void ensureProbed(Duration timeout) {
        if (probed) return;
        String who = Shell.quote(becomeUser);
        ExecResult probe = runner.run("sudo -k -n -u " + who + " true", null, timeout);
        if (!probe.ok()) {
            String err = probe.err().trim();
            if (probe.exitCode() == 127 || err.contains("not found")) {
                throw new BecomeException(hostName + ": become is on but sudo is not installed"
                        + " (connect as " + becomeUser + " instead, or install sudo)");
            }
            if (!err.contains("password is required")) {
                throw new BecomeException(hostName + ": " + loginUser + " may not sudo to " + becomeUser + ": "
                        + oneLine(err));
            }
            String pw = options.secret(SshOptions.BECOME_PASSWORD_ENV,
                    "[sudo] password for " + loginUser + "@" + hostName + ": ");
            if (pw == null) {
                throw new BecomeException(hostName + ": sudo needs a password for " + loginUser
                        + " and none was given: set " + SshOptions.BECOME_PASSWORD_ENV
                        + ", run tuner on a terminal to be asked, or allow NOPASSWD in sudoers");
            }
            password = pw;
            ExecResult check = runner.run("sudo -k -S -p '' -u " + who + " true", withPasswordLine(null), timeout);
            if (!check.ok()) {
                password = null;
                throw new BecomeException(hostName + ": sudo rejected the become password for " + loginUser + ": "
                        + oneLine(check.err().trim()));
            }
        }
        probed = true;
    }

    private byte[] withPasswordLine(byte[] stdin) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.writeBytes((password + "\n").getBytes(StandardCharsets.UTF_8));
        if (stdin != null) buf.writeBytes(stdin);
        return buf.toByteArray();
    }

    private static String oneLine(String s) {
        return s.isEmpty() ? "(sudo printed nothing)" : s.replace('\n', ' ');
    }
}
