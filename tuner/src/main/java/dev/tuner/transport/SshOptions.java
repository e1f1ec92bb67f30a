package dev.tuner.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Run-wide settings of the ssh transport (command-line flags and the environment), as opposed to
 * {@link ConnectionSpec}, which comes from one host's inventory variables.
 *
 * @param acceptNewHostKeys  trust a host never seen before and record its key (--accept-new-host-keys);
 *                           a changed key is refused regardless
 * @param knownHostsFile     overrides both {@code tuner_known_hosts} and ~/.ssh/known_hosts; null: not overridden
 * @param connectTimeout     overrides the inventory's {@code ansible_timeout}; null: not overridden
 * @param commandTimeout     used when a caller passes no timeout to exec
 * @param keepaliveInterval  ServerAliveInterval: an idle session sends a keepalive this often; a host
 *                           that misses {@code keepaliveCountMax} in a row is declared gone
 * @param keepaliveCountMax  ServerAliveCountMax
 * @param sshConfigFile      OpenSSH client config to read; null: {@code userSshDir/config} if it exists
 * @param userSshDir         where default keys, known_hosts and config live (~/.ssh)
 * @param identityFiles      keys tried before the inventory's and the default ones (--private-key)
 * @param agentSocket        ssh-agent socket; null: {@code SSH_AUTH_SOCK} from {@code env}
 * @param env                where TUNER_SSH_PASSPHRASE, TUNER_SSH_PASSWORD, TUNER_BECOME_PASSWORD
 *                           and SSH_AUTH_SOCK are read (the process environment, except in tests)
 * @param prompter           asks for secrets the environment does not give
 */
public record SshOptions(
        boolean acceptNewHostKeys,
        Path knownHostsFile,
        Duration connectTimeout,
        Duration commandTimeout,
        Duration keepaliveInterval,
        int keepaliveCountMax,
        Path sshConfigFile,
        Path userSshDir,
        List<Path> identityFiles,
        Path agentSocket,
        Map<String, String> env,
        Prompter prompter) {

    public static final String PASSPHRASE_ENV = "TUNER_SSH_PASSPHRASE";
    public static final String PASSWORD_ENV = "TUNER_SSH_PASSWORD";
    public static final String BECOME_PASSWORD_ENV = "TUNER_BECOME_PASSWORD";

    public SshOptions {
        if (commandTimeout == null) commandTimeout = Duration.ofMinutes(5);
        if (keepaliveInterval == null) keepaliveInterval = Duration.ofSeconds(15);
        if (keepaliveCountMax < 1) keepaliveCountMax = 3;
        if (userSshDir == null) userSshDir = Path.of(System.getProperty("user.home"), ".ssh");
        identityFiles = identityFiles == null ? List.of() : List.copyOf(identityFiles);
        env = env == null ? System.getenv() : Map.copyOf(env);
        if (prompter == null) prompter = Prompter.none();
    }

    /** Strict host keys, ~/.ssh, the process environment, a terminal prompt when there is a terminal. */
    public static SshOptions defaults() {
        return new SshOptions(false, null, null, null, null, 3, null, null, List.of(), null, System.getenv(),
                Prompter.console());
    }

    public SshOptions withAcceptNewHostKeys(boolean accept) {
        return new SshOptions(accept, knownHostsFile, connectTimeout, commandTimeout, keepaliveInterval,
                keepaliveCountMax, sshConfigFile, userSshDir, identityFiles, agentSocket, env, prompter);
    }

    public SshOptions withKnownHostsFile(Path file) {
        return new SshOptions(acceptNewHostKeys, file, connectTimeout, commandTimeout, keepaliveInterval,
                keepaliveCountMax, sshConfigFile, userSshDir, identityFiles, agentSocket, env, prompter);
    }

    public SshOptions withSshConfigFile(Path file) {
        return new SshOptions(acceptNewHostKeys, knownHostsFile, connectTimeout, commandTimeout, keepaliveInterval,
                keepaliveCountMax, file, userSshDir, identityFiles, agentSocket, env, prompter);
    }

    public SshOptions withUserSshDir(Path dir) {
        return new SshOptions(acceptNewHostKeys, knownHostsFile, connectTimeout, commandTimeout, keepaliveInterval,
                keepaliveCountMax, sshConfigFile, dir, identityFiles, agentSocket, env, prompter);
    }

    public SshOptions withIdentityFiles(List<Path> files) {
        return new SshOptions(acceptNewHostKeys, knownHostsFile, connectTimeout, commandTimeout, keepaliveInterval,
                keepaliveCountMax, sshConfigFile, userSshDir, files, agentSocket, env, prompter);
    }

    public SshOptions withAgentSocket(Path socket) {
        return new SshOptions(acceptNewHostKeys, knownHostsFile, connectTimeout, commandTimeout, keepaliveInterval,
                keepaliveCountMax, sshConfigFile, userSshDir, identityFiles, socket, env, prompter);
    }

    public SshOptions withEnv(Map<String, String> environment) {
        return new SshOptions(acceptNewHostKeys, knownHostsFile, connectTimeout, commandTimeout, keepaliveInterval,
                keepaliveCountMax, sshConfigFile, userSshDir, identityFiles, agentSocket, environment, prompter);
    }

    public SshOptions withPrompter(Prompter p) {
        return new SshOptions(acceptNewHostKeys, knownHostsFile, connectTimeout, commandTimeout, keepaliveInterval,
                keepaliveCountMax, sshConfigFile, userSshDir, identityFiles, agentSocket, env, p);
    }

    public SshOptions withConnectTimeout(Duration timeout) {
        return new SshOptions(acceptNewHostKeys, knownHostsFile, timeout, commandTimeout, keepaliveInterval,
                keepaliveCountMax, sshConfigFile, userSshDir, identityFiles, agentSocket, env, prompter);
    }

    public SshOptions withCommandTimeout(Duration timeout) {
        return new SshOptions(acceptNewHostKeys, knownHostsFile, connectTimeout, timeout, keepaliveInterval,
                keepaliveCountMax, sshConfigFile, userSshDir, identityFiles, agentSocket, env, prompter);
    }

    public SshOptions withKeepalive(Duration interval, int countMax) {
        return new SshOptions(acceptNewHostKeys, knownHostsFile, connectTimeout, commandTimeout, interval,
                countMax, sshConfigFile, userSshDir, identityFiles, agentSocket, env, prompter);
    }

    /** A secret from the environment, else from the prompter; null when neither has one. */
    public String secret(String envName, String prompt) {
        String v = env.get(envName);
        if (v != null && !v.isEmpty()) return v;
        return prompter.secret(prompt);
    }
}
