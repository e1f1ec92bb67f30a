package dev.tuner.lock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who holds a lock: the run (its journal id and command), who started it where (user, machine,
 * the machine's id), the controller's process (pid and that process's start time, so a pid the
 * system gave to another process since is not mistaken for the holder) and since when.
 *
 * <p>Written into a lock as {@code key=value} lines ({@link #text()}), read back with
 * {@link #parse}. Whether the holder still runs can be checked only on the machine it ran on
 * ({@link #alive()}).
 */
public record LockOwner(String run, String command, String user, String machine, String machineId, long pid,
                        String pidStarted, String since) {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** This process, for {@code command} of run {@code run} (null while the run has no id yet), from now. */
    public static LockOwner thisProcess(String run, String command) {
        ProcessHandle me = ProcessHandle.current();
        return new LockOwner(run == null ? "" : run, command, System.getProperty("user.name", "?"), thisMachineName(), thisMachineId(), me.pid(),
                me.info().startInstant().map(Instant::toString).orElse(""), Instant.now().toString());
    }

    /** The same holder for another run id (a run learns its id after taking the journal's lock). */
    public LockOwner forRun(String runId) {
        return new LockOwner(runId, command, user, machine, machineId, pid, pidStarted, since);
    }

    /** The {@code key=value} lines stored in a lock. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        fields().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("run", run);
        m.put("command", command);
        m.put("user", user);
        m.put("machine", machine);
        m.put("machine_id", machineId);
        m.put("pid", Long.toString(pid));
        m.put("pid_started", pidStarted);
        m.put("since", since);
        m.replaceAll((k, v) -> v == null ? "" : v.replaceAll("[\\r\\n]", " "));
        return m;
    }

    /** Reads {@link #text()}; fields that are missing or unreadable come back empty (pid 0). */
    public static LockOwner parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        long pid;
        try {
            pid = Long.parseLong(m.getOrDefault("pid", "0"));
        } catch (NumberFormatException e) {
            pid = 0;
        }
        return new LockOwner(m.getOrDefault("run", ""), m.getOrDefault("command", ""), m.getOrDefault("user", ""),
                m.getOrDefault("machine", ""), m.getOrDefault("machine_id", ""), pid, m.getOrDefault("pid_started", ""),
                m.getOrDefault("since", ""));
    }

    /** Whether this holder is this very process working on the same run. */
    public boolean sameHolder(LockOwner other) {
        return other != null && run.equals(other.run) && pid == other.pid && onThisMachine() && other.onThisMachine()
                && pidStarted.equals(other.pidStarted);
    }

    /** Whether the holder ran on this machine: the same machine id when both are known, else the same host name. */
    public boolean onThisMachine() {
        String here = thisMachineId();
        if (!machineId.isEmpty() && !here.isEmpty()) return machineId.equals(here);
        return !machine.isEmpty() && machine.equals(thisMachineName());
    }

    /**
     * Whether the holding process still runs: known only on its machine (empty elsewhere). A
     * process with the holder's pid but another start time is another process: the holder is gone.
     */
    public Optional<Boolean> alive() {
        if (!onThisMachine()) return Optional.empty();
        Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (p.isEmpty()) return Optional.of(false);
        if (pidStarted.isEmpty()) return Optional.of(true);
        return Optional.of(p.get().info().startInstant().map(s -> s.toString().equals(pidStarted)).orElse(true));
    }

    /** "run 20261130-101500-3f2a (apply) of alice@ctl01, pid 4242, since 2026-11-30 10:15:00 UTC (3m ago)". */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(run.isEmpty() ? "a run" : "run " + run);
        if (!command.isEmpty()) sb.append(" (").append(command).append(')');
        sb.append(" of ").append(user.isEmpty() ? "?" : user).append('@').append(machine.isEmpty() ? "?" : machine);
        sb.append(", pid ").append(pid);
        try {
            Instant at = Instant.parse(since);
            sb.append(", since ").append(SHOWN.format(at)).append(" (").append(ago(Duration.between(at, Instant.now()))).append(" ago)");
        } catch (RuntimeException e) {
            if (!since.isEmpty()) sb.append(", since ").append(since);
        }
        return sb.toString();
    }

    private static String ago(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) return s + "s";
        if (s < 7200) return (s / 60) + "m";
        if (s < 172800) return (s / 3600) + "h";
        return (s / 86400) + "d";
    }

    /** This machine's host name, as the kernel has it (no DNS lookup). */
    static String thisMachineName() {
        String name = firstLine(Path.of("/proc/sys/kernel/hostname"));
        if (name.isEmpty()) name = firstLine(Path.of("/etc/hostname"));
        if (name.isEmpty()) name = System.getenv().getOrDefault("HOSTNAME", "");
        return name;
    }

    /** systemd's machine id, unique per installation; empty where there is none. */
    static String thisMachineId() {
        String id = firstLine(Path.of("/etc/machine-id"));
        return id.isEmpty() ? firstLine(Path.of("/var/lib/dbus/machine-id")) : id;
    }

    private static String firstLine(Path p) {
        try {
            String s = Files.readString(p, StandardCharsets.UTF_8).strip();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
