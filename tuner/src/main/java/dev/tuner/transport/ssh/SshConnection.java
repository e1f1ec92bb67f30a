package dev.tuner.transport.ssh;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.OpenSSHConfig;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UIKeyboardInteractive;
import com.jcraft.jsch.UnixDomainSocketFactory;
import com.jcraft.jsch.UserInfo;
import dev.tuner.transport.Become;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ConnectionSpec;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.Shell;
import dev.tuner.transport.StopRequest;
import dev.tuner.transport.SshOptions;
import dev.tuner.transport.TransportException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;

/**
 * A host reached over ssh with JSch. One session per host, opened by {@link #open} and reused for
 * every command (a new exec channel each), so a play costs one handshake and one authentication
 * per host however many commands it runs.
 *
 * <p>What the user's ssh would do is what this does: the host's inventory address is looked up in
 * the OpenSSH client config (Host, HostName, User, Port, IdentityFile, ProxyJump,
 * UserKnownHostsFile), keys come from ssh-agent, the inventory, the config and ~/.ssh/id_*, and the
 * host key must be in known_hosts. Inventory values win over the config, as with Ansible, which
 * passes them to ssh on its command line; a port of 22 counts as unset, since the inventory cannot
 * say otherwise.
 */
public final class SshConnection implements Connection {
    private static final int MAX_JUMPS = 8;
    /**
     * The key exchanges JSch tries before each connection to see whether this JVM has them, minus
     * the curve25519 and curve448 ones: every Java tuner runs on has X25519 and X448, and trying one
     * means generating a key pair, three per connection for nothing.
     */
    private static final String CHECK_KEXES = String.join(",", java.util.Arrays.stream(
            JSch.getConfig("CheckKexes").split(",")).filter(k -> !k.startsWith("curve")).toList());

    private final ConnectionSpec spec;
    private final SshOptions options;
    private final Session session;
    private final List<Session> jumps; // nearest to us first
    private final String label;        // user@host:port, for messages
    private final Become become;
    private volatile String lost;      // why the session died, once it has

    private SshConnection(ConnectionSpec spec, SshOptions options, Session session, List<Session> jumps,
                          String label) {
        this.spec = spec;
        this.options = options;
        this.session = session;
        this.jumps = jumps;
        this.label = label;
        this.become = Become.needed(spec, session.getUserName())
                ? new Become(spec.hostName(), session.getUserName(), spec.becomeUser(), options, this::run)
                : null;
    }

    /** Connects and authenticates; everything that can go wrong here is a {@link TransportException}. */
    public static SshConnection open(ConnectionSpec spec, SshOptions options) {
        Opener opener = new Opener(spec, options);
        List<Session> jumps = new ArrayList<>();
        try {
            Endpoint target = opener.target();
            Session s = opener.connect(target, jumps, 0);
            return new SshConnection(spec, options, s, jumps, target.label());
        } catch (RuntimeException e) {
            for (int i = jumps.size() - 1; i >= 0; i--) jumps.get(i).disconnect();
            throw e;
        }
    }

    @Override
    public String hostName() {
        return spec.hostName();
    }

    /** user@host:port this connection reached (after ssh config), for messages. */
    public String target() {
        return label;
    }

    @Override
    public ExecResult exec(String script, byte[] stdin, Duration timeout) {
        return exec(script, stdin, timeout, StopRequest.NEVER);
    }

    @Override
    public synchronized ExecResult exec(String script, byte[] stdin, Duration timeout, StopRequest stop) {
        return start(killable("/bin/sh -c " + Shell.quote(script)), stdin, timeout, stop);
    }

    /** The script on stdin goes straight to the wrapper's shell: no extra {@code sh -c 'exec sh -s'} on the host. */
    @Override
    public synchronized ExecResult execScript(byte[] script, Duration timeout) {
        return start(killable("/bin/sh -s"), script, timeout, StopRequest.NEVER);
    }

    private ExecResult start(String killable, byte[] stdin, Duration timeout, StopRequest stop) {
        stop.check();
        Duration limit = timeout == null ? options.commandTimeout() : timeout;
        if (become != null) return become.exec(killable, stdin, limit, (command, in, t) -> run(command, in, t, stop));
        return run("exec /bin/sh -c " + Shell.quote(killable), stdin, limit, stop);
    }

    /** First line of stderr from {@link #killable}: the wrapper's pid, taken out of what callers see. */
    static final String PID_MARK = "@tuner-pid:";

    /**
     * Wraps a script so that a timeout can kill everything it started, not just a shell. sshd
     * refuses "signal" requests on root sessions ("session signalling requires privilege
     * separation"), and closing the channel leaves the command running, so the wrapper reports its
     * pid on stderr, and on a timeout a second command sends it SIGTERM, which it traps to kill its
     * whole process group. The script runs in the background so that the wrapper takes the trap at
     * once; stdin is passed on through fd 3 because a background job's stdin is otherwise /dev/null.
     * {@code command} is the shell that runs the script: {@code /bin/sh -c 'SCRIPT'} or {@code /bin/sh -s}.
     */
    static String killable(String command) {
        return "printf '%s\\n' \"" + PID_MARK + "$$\" >&2\n"
                + "exec 3<&0\n"
                + "trap 'kill -KILL 0' TERM HUP\n"
                + command + " <&3 3<&- &\n"
                + "wait $!\n";
    }

    private ExecResult run(String command, byte[] stdin, Duration timeout) {
        return run(command, stdin, timeout, StopRequest.NEVER);
    }

    private ExecResult run(String command, byte[] stdin, Duration timeout, StopRequest stop) {
        if (lost != null) throw new TransportException(hostName() + " (" + label + "): connection lost earlier: " + lost);
        ChannelExec ch;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutputStream toCommand;
        try {
            ch = (ChannelExec) session.openChannel("exec");
            ch.setCommand(command);
            // JSch's own thread writes output straight into memory, so a command that fills stderr
            // while we wait on stdout cannot stall.
            ch.setOutputStream(out, true);
            ch.setErrStream(err, true);
            // stdin is written from this thread after the start, not pumped by a JSch thread: JSch
            // creates that thread only after sending the exec request, and a command that ends before
            // then makes the creation fail (a NullPointerException inside JSch) although the command ran.
            toCommand = ch.getOutputStream();
            ch.connect((int) Math.min(Integer.MAX_VALUE, connectTimeout(spec, options).toMillis()));
        } catch (JSchException | IOException e) {
            throw broken("cannot start a command: " + (session.isConnected() ? plain(e) : "the connection is closed"), e);
        }
        try (toCommand) {
            if (stdin != null && stdin.length > 0) toCommand.write(stdin);
            toCommand.flush();
        } catch (IOException e) {
            // The command ended without reading all of its input; its exit status says how it went.
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1;
        try {
            while (!ch.isClosed()) {
                if (!session.isConnected()) throw broken("connection lost while a command was running", null);
                if (System.nanoTime() - deadline > 0) {
                    boolean killed = terminate(err.toByteArray());
                    ch.disconnect();
                    throw new TransportException(hostName() + " (" + label + "): command timed out after "
                            + human(timeout) + (killed ? "; it was killed with the processes it started"
                            : "; it could not be killed and may still be running"));
                }
                if (stop.requested()) {
                    // Checked here, between polls, not by interrupting this thread: JSch swallows an
                    // interrupt that lands while it opens a channel, and fails the channel instead.
                    terminate(err.toByteArray());
                    ch.disconnect();
                    throw new StopRequest.Stopped(stop.reason());
                }
                Thread.sleep(pause);
                pause = Math.min(20, pause * 2); // quick commands return quickly, long ones cost little CPU
            }
        } catch (InterruptedException e) {
            terminate(err.toByteArray());
            ch.disconnect();
            Thread.currentThread().interrupt();
            throw new TransportException(hostName() + ": interrupted while a command was running", e);
        }
        int status = ch.getExitStatus();
        String signal = ch.getExitSignal();
        ch.disconnect();
        if (status == -1) {
            if (!session.isConnected()) throw broken("connection lost while a command was running", null);
            // Killed by a signal: report it as a shell would, 128 + signal number.
            status = signal == null ? 255 : 128 + signalNumber(signal);
        }
        return new ExecResult(status, out.toByteArray(), withoutPidLine(err.toByteArray()));
    }

    /** Sends SIGTERM to a timed-out wrapper from a second command; true if that worked. */
    private boolean terminate(byte[] stderrSoFar) {
        String pid = pidOf(stderrSoFar);
        if (pid == null) return false; // the wrapper has not even started
        String kill = "kill -TERM " + pid;
        try {
            Duration t = connectTimeout(spec, options);
            ExecResult r = become != null ? become.exec(kill, null, t) : run(kill, null, t);
            return r.ok();
        } catch (TransportException e) {
            return false;
        }
    }

    private static String pidOf(byte[] err) {
        String head = new String(err, 0, Math.min(err.length, 64), java.nio.charset.StandardCharsets.US_ASCII);
        if (!head.startsWith(PID_MARK)) return null;
        int nl = head.indexOf('\n');
        if (nl < 0) return null;
        String pid = head.substring(PID_MARK.length(), nl);
        return pid.matches("[0-9]+") ? pid : null;
    }

    private static byte[] withoutPidLine(byte[] err) {
        if (pidOf(err) == null) return err;
        int nl = 0;
        while (err[nl] != '\n') nl++;
        return java.util.Arrays.copyOfRange(err, nl + 1, err.length);
    }

    private TransportException broken(String why, Throwable cause) {
        lost = why;
        return new TransportException(hostName() + " (" + label + "): " + why, cause);
    }

    private static int signalNumber(String name) {
        return switch (name) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "QUIT" -> 3;
            case "ABRT" -> 6;
            case "KILL" -> 9;
            case "SEGV" -> 11;
            case "PIPE" -> 13;
            case "ALRM" -> 14;
            case "TERM" -> 15;
            default -> 127;
        };
    }

    @Override
    public void close() {
        session.disconnect();
        for (int i = jumps.size() - 1; i >= 0; i--) jumps.get(i).disconnect();
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    static Duration connectTimeout(ConnectionSpec spec, SshOptions options) {
        if (options.connectTimeout() != null) return options.connectTimeout();
        return spec.connectTimeout() != null ? spec.connectTimeout() : Duration.ofSeconds(10);
    }

    /** A JSch message, without the class-name prefixes Java adds to wrapped causes. */
    private static String plain(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }

    /** Where to connect, after the ssh config. */
    record Endpoint(String alias, String host, int port, String user, List<Path> identityFiles, String proxyJump) {
        String label() {
            return user + "@" + host + ":" + port;
        }
    }

    /** Resolves names, builds sessions, connects hop by hop and explains failures. */
    private static final class Opener {
        private final ConnectionSpec spec;
        private final SshOptions options;
        private final ConfigRepository config;
        private final CommonArgs args;
        private final KnownHostsTarget knownHosts;

        Opener(ConnectionSpec spec, SshOptions options) {
            this.spec = spec;
            this.options = options;
            this.config = loadConfig(options);
            this.args = CommonArgs.parse(spec.hostName(), spec.sshCommonArgs());
            this.knownHosts = new KnownHostsTarget(knownHostsFile(), options.acceptNewHostKeys() || args.acceptNew);
        }

        Endpoint target() {
            String alias = spec.address() != null ? spec.address() : spec.hostName();
            ConfigRepository.Config c = config.getConfig(alias);
            List<Path> keys = new ArrayList<>(options.identityFiles());
            if (spec.privateKeyFile() != null) keys.add(expand(spec.privateKeyFile()));
            String jump = args.proxyJump != null ? args.proxyJump : value(c, "ProxyJump");
            int port = spec.port() != 22 && spec.port() > 0 ? spec.port() : configPort(c);
            return endpoint(alias, spec.user(), port, keys, jump, c);
        }

        private Endpoint endpoint(String alias, String user, int port, List<Path> explicitKeys, String jump,
                                  ConfigRepository.Config c) {
            String host = value(c, "HostName");
            host = host == null ? alias : host.replace("%h", alias).replace("%%", "%");
            if (user == null) user = value(c, "User");
            if (user == null) user = System.getProperty("user.name");
            if (port <= 0) port = configPort(c);
            if ("none".equalsIgnoreCase(jump)) jump = null;
            List<Path> keys = new ArrayList<>();
            for (Path k : explicitKeys) {
                if (!Files.isReadable(k)) {
                    throw new TransportException(spec.hostName() + ": private key file " + k + " does not exist or is not readable");
                }
                keys.add(k);
            }
            String[] fromConfig = c.getValues("IdentityFile");
            if (fromConfig != null) {
                for (String f : fromConfig) {
                    Path p = expand(f);
                    if (Files.isReadable(p) && !keys.contains(p)) keys.add(p);
                }
            }
            for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                Path p = options.userSshDir().resolve(name);
                if (Files.isReadable(p) && !keys.contains(p)) keys.add(p);
            }
            return new Endpoint(alias, host, port, user, keys, jump);
        }

        private int configPort(ConfigRepository.Config c) {
            int p = c.getPort();
            return p > 0 ? p : 22;
        }

        /** Connects {@code e}, first through its jump hosts, adding every jump session to {@code jumps}. */
        Session connect(Endpoint e, List<Session> jumps, int depth) {
            Session via = null;
            if (e.proxyJump() != null) {
                if (depth >= MAX_JUMPS) {
                    throw new TransportException(spec.hostName() + ": more than " + MAX_JUMPS
                            + " jump hosts; is there a ProxyJump loop in the ssh config?");
                }
                for (String hop : e.proxyJump().split(",")) {
                    Endpoint j = jumpEndpoint(hop.trim(), via == null);
                    via = connectOne(j, via, "jump host " + hop.trim() + " for " + spec.hostName());
                    jumps.add(via);
                }
            }
            return connectOne(e, via, spec.hostName());
        }

        /** {@code [user@]host[:port]} of a ProxyJump list, looked up in the ssh config like any host. */
        private Endpoint jumpEndpoint(String hop, boolean first) {
            String h = hop.startsWith("ssh://") ? hop.substring(6) : hop;
            String user = null;
            int at = h.lastIndexOf('@');
            if (at >= 0) {
                user = h.substring(0, at);
                h = h.substring(at + 1);
            }
            int port = -1;
            int colon = h.lastIndexOf(':');
            if (colon >= 0 && h.indexOf(':') == colon) {
                try {
                    port = Integer.parseInt(h.substring(colon + 1));
                } catch (NumberFormatException ex) {
                    throw new TransportException(spec.hostName() + ": bad ProxyJump entry '" + hop + "' (want [user@]host[:port])");
                }
                h = h.substring(0, colon);
            }
            ConfigRepository.Config c = config.getConfig(h);
            // Only the first hop may itself be reached through a jump from the config; later hops
            // are reached through the previous one, as ssh -J does.
            String itsJump = first ? value(c, "ProxyJump") : null;
            if (itsJump != null && itsJump.equalsIgnoreCase("none")) itsJump = null;
            if (itsJump != null) {
                throw new TransportException(spec.hostName() + ": jump host " + h + " has a ProxyJump of its own in the"
                        + " ssh config; list the whole chain in one ProxyJump instead (a,b,c)");
            }
            // ssh -J would not pass -i on to the jump host; in practice a fleet's key usually opens
            // its bastion too, so jump hosts are offered the run's and the host's keys as well.
            List<Path> keys = new ArrayList<>(options.identityFiles());
            if (spec.privateKeyFile() != null) keys.add(expand(spec.privateKeyFile()));
            return endpoint(h, user, port, keys, null, c);
        }

        private Session connectOne(Endpoint e, Session via, String who) {
            String what = "ssh " + e.label() + (who.equals(e.alias()) ? "" : " (" + who + ")");
            KnownHostsFile hostKeys = knownHosts.forHost(who);
            Secrets secrets = new Secrets(options);
            Identities ids = identities(e, what);
            Session s;
            try {
                JSch jsch = new JSch();
                s = jsch.getSession(e.user(), e.host(), e.port());
                s.setHostKeyRepository(hostKeys);
                s.setIdentityRepository(ids.repository);
                s.setUserInfo(secrets);
                s.setConfig("StrictHostKeyChecking", "yes");
                // No Kerberos here; trying GSSAPI first only costs time.
                s.setConfig("PreferredAuthentications", "publickey,keyboard-interactive,password");
                s.setConfig("CheckKexes", CHECK_KEXES);
                s.setServerAliveInterval((int) options.keepaliveInterval().toMillis());
                s.setServerAliveCountMax(options.keepaliveCountMax());
                s.setDaemonThread(true);
                if (via != null) s.setProxy(new JumpProxy(via));
            } catch (JSchException ex) {
                throw new TransportException(what + ": " + plain(ex), ex);
            }
            Duration timeout = connectTimeout(spec, options);
            try {
                s.connect((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                return s;
            } catch (JSchException ex) {
                throw new TransportException(what + ": " + explain(ex, e, hostKeys, ids, secrets, timeout), ex);
            }
        }

        private String explain(JSchException ex, Endpoint e, KnownHostsFile hostKeys, Identities ids, Secrets secrets,
                               Duration timeout) {
            if (hostKeys.refusal() != null) return hostKeys.refusal();
            for (Throwable t = ex; t != null; t = t.getCause()) {
                if (t instanceof UnknownHostException) return "cannot resolve host name '" + e.host() + "' (DNS lookup failed)";
                if (t instanceof NoRouteToHostException) return "no route to host";
                if (t instanceof ConnectException) {
                    String m = String.valueOf(t.getMessage()).toLowerCase();
                    return m.contains("refused") ? "connection refused (is sshd running on port " + e.port() + "?)"
                            : "cannot connect: " + t.getMessage();
                }
                if (t instanceof SocketTimeoutException) return "connection timed out after " + human(timeout);
            }
            String m = String.valueOf(ex.getMessage());
            if (m.startsWith("Auth fail") || m.startsWith("Auth cancel")) {
                return "authentication failed (tried: " + ids.describe(secrets) + ")";
            }
            if (m.contains("timeout")) return "connection timed out after " + human(timeout);
            if (m.contains("closed by foreign host") || m.contains("connection is closed")) {
                return "the server closed the connection during the ssh handshake";
            }
            if (m.contains("Algorithm negotiation fail")) return "no ssh algorithms in common with the server: " + m;
            return plain(ex);
        }

        private Identities identities(Endpoint e, String what) {
            Identities ids = new Identities();
            Path sock = options.agentSocket();
            if (sock == null && options.env().get("SSH_AUTH_SOCK") != null) sock = Path.of(options.env().get("SSH_AUTH_SOCK"));
            if (sock != null) {
                try {
                    AgentIdentityRepository agent = new AgentIdentityRepository(
                            new SSHAgentConnector(new UnixDomainSocketFactory(), sock));
                    ids.agent = agent;
                } catch (AgentProxyException ex) {
                    ids.agentProblem = "ssh-agent at " + sock + " unusable: " + plain(ex);
                }
            }
            JSch keys = new JSch();
            for (Path k : e.identityFiles()) {
                try {
                    keys.addIdentity(k.toString());
                    ids.files.add(k);
                } catch (JSchException ex) {
                    throw new TransportException(what + ": cannot load private key " + k + ": " + plain(ex), ex);
                }
            }
            ids.local = keys.getIdentityRepository();
            ids.repository = ids.combined();
            return ids;
        }

        private Path knownHostsFile() {
            if (options.knownHostsFile() != null) return options.knownHostsFile();
            if (spec.knownHostsFile() != null) return expand(spec.knownHostsFile());
            if (args.knownHostsFile != null) return expand(args.knownHostsFile);
            String alias = spec.address() != null ? spec.address() : spec.hostName();
            String fromConfig = value(config.getConfig(alias), "UserKnownHostsFile");
            if (fromConfig != null) return expand(fromConfig.trim().split("\\s+")[0]);
            return options.userSshDir().resolve("known_hosts");
        }

        private static String value(ConfigRepository.Config c, String key) {
            String v = c.getValue(key);
            return v == null || v.isBlank() ? null : v.trim();
        }

        private static Path expand(String p) {
            if (p.equals("~")) return Path.of(System.getProperty("user.home"));
            if (p.startsWith("~/")) return Path.of(System.getProperty("user.home"), p.substring(2));
            return Path.of(p);
        }

        private ConfigRepository loadConfig(SshOptions options) {
            Path file = options.sshConfigFile();
            if (file == null) {
                file = options.userSshDir().resolve("config");
                if (!Files.isReadable(file)) return ConfigRepository.nullConfig;
            }
            try {
                return OpenSSHConfig.parseFile(file.toString());
            } catch (IOException e) {
                throw new TransportException(spec.hostName() + ": cannot read ssh config " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** One known_hosts file, checked on behalf of each host or jump host connected. */
    private record KnownHostsTarget(Path file, boolean acceptNew) {
        KnownHostsFile forHost(String who) {
            return new KnownHostsFile(file, acceptNew, who);
        }
    }

    /** The few ssh options Ansible users put in ansible_ssh_common_args that matter here. */
    private static final class CommonArgs {
        String proxyJump;
        String knownHostsFile;
        boolean acceptNew;

        static CommonArgs parse(String host, String args) {
            CommonArgs a = new CommonArgs();
            if (args == null || args.isBlank()) return a;
            List<String> words = split(args);
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                if (w.equals("-J") && i + 1 < words.size()) {
                    a.proxyJump = words.get(++i);
                } else if (w.startsWith("-J")) {
                    a.proxyJump = w.substring(2);
                } else if (w.startsWith("-o")) {
                    String opt = w.length() > 2 ? w.substring(2) : (i + 1 < words.size() ? words.get(++i) : "");
                    int eq = opt.indexOf('=');
                    String key = (eq >= 0 ? opt.substring(0, eq) : opt.split("\\s+", 2)[0]).trim().toLowerCase();
                    String val = eq >= 0 ? opt.substring(eq + 1).trim()
                            : (opt.contains(" ") ? opt.split("\\s+", 2)[1].trim() : "");
                    switch (key) {
                        case "proxyjump" -> a.proxyJump = val;
                        case "userknownhostsfile" -> a.knownHostsFile = val.split("\\s+")[0];
                        // "no" is taken as accept-new: a key that changed is refused whatever the flags.
                        case "stricthostkeychecking" -> a.acceptNew = val.equalsIgnoreCase("accept-new")
                                || val.equalsIgnoreCase("no") || val.equalsIgnoreCase("off");
                        case "proxycommand" -> throw new TransportException(host
                                + ": ProxyCommand in ansible_ssh_common_args is not supported; use ProxyJump (-J)");
                        default -> { }
                    }
                }
            }
            return a;
        }

        /** Words as a POSIX shell would split them, with single and double quotes. */
        static List<String> split(String s) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean inWord = false;
            char quote = 0;
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (quote != 0) {
                    if (ch == quote) quote = 0;
                    else cur.append(ch);
                } else if (ch == '\'' || ch == '"') {
                    quote = ch;
                    inWord = true;
                } else if (Character.isWhitespace(ch)) {
                    if (inWord) out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                } else {
                    cur.append(ch);
                    inWord = true;
                }
            }
            if (inWord) out.add(cur.toString());
            return out;
        }
    }

    /** Agent keys first, then key files, as ssh tries them; remembers what was offered for messages. */
    private static final class Identities {
        IdentityRepository agent;
        String agentProblem;
        IdentityRepository local;
        final List<Path> files = new ArrayList<>();
        IdentityRepository repository;

        IdentityRepository combined() {
            return new IdentityRepository() {
                @Override
                public String getName() {
                    return "tuner";
                }

                @Override
                public int getStatus() {
                    return RUNNING;
                }

                @Override
                public Vector<Identity> getIdentities() {
                    Vector<Identity> all = new Vector<>();
                    if (agent != null) all.addAll(agent.getIdentities());
                    all.addAll(local.getIdentities());
                    return all;
                }

                @Override
                public boolean add(byte[] identity) {
                    return false; // tuner never adds keys to anybody's agent
                }

                @Override
                public boolean remove(byte[] blob) {
                    return false;
                }

                @Override
                public void removeAll() {
                }
            };
        }

        String describe(Secrets secrets) {
            List<String> tried = new ArrayList<>();
            if (agent != null) {
                int n = agent.getIdentities().size();
                tried.add("ssh-agent (" + n + (n == 1 ? " key)" : " keys)"));
            } else {
                tried.add(agentProblem != null ? agentProblem : "no ssh-agent (SSH_AUTH_SOCK unset)");
            }
            for (Path f : files) {
                tried.add("publickey " + f + (secrets.lockedKeys.contains(f.toString())
                        ? " (passphrase-protected; set " + SshOptions.PASSPHRASE_ENV + " or run on a terminal)" : ""));
            }
            if (files.isEmpty()) tried.add("no key files");
            tried.add(secrets.passwordGiven ? "password" : "no password (" + SshOptions.PASSWORD_ENV + " unset, no terminal)");
            return String.join(", ", tried);
        }
    }

    /** Answers JSch's questions from the environment or the prompter, never from playbooks. */
    private static final class Secrets implements UserInfo, UIKeyboardInteractive {
        private final SshOptions options;
        private String passphrase;
        private String password;
        final List<String> lockedKeys = new ArrayList<>();
        boolean passwordGiven;

        Secrets(SshOptions options) {
            this.options = options;
        }

        @Override
        public String getPassphrase() {
            return passphrase;
        }

        @Override
        public String getPassword() {
            return password;
        }

        @Override
        public boolean promptPassphrase(String message) {
            // JSch asks "Passphrase for /path/to/key".
            passphrase = options.secret(SshOptions.PASSPHRASE_ENV, message + ": ");
            if (passphrase == null) lockedKeys.add(message.replaceFirst("^Passphrase for ", ""));
            return passphrase != null;
        }

        @Override
        public boolean promptPassword(String message) {
            password = options.secret(SshOptions.PASSWORD_ENV, message + ": ");
            passwordGiven |= password != null;
            return password != null;
        }

        @Override
        public boolean promptYesNo(String message) {
            return false; // host keys are decided by KnownHostsFile, never by a question
        }

        @Override
        public void showMessage(String message) {
            // Banners and warnings: the refusals that matter are reported by KnownHostsFile.
        }

        @Override
        public String[] promptKeyboardInteractive(String destination, String name, String instruction,
                                                  String[] prompt, boolean[] echo) {
            if (prompt.length == 0) return new String[0];
            // A single hidden question is the PAM password prompt; anything else (OTP) needs a person.
            if (prompt.length == 1 && !echo[0]) {
                String pw = options.secret(SshOptions.PASSWORD_ENV, "Password for " + destination + ": ");
                passwordGiven |= pw != null;
                return pw == null ? null : new String[]{pw};
            }
            return null;
        }
    }
}
