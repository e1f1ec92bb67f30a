package dev.tuner.verify;

import dev.tuner.diag.TunerException;
import dev.tuner.lock.LockOwner;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.Shell;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The processes a benchmark series starts on a host, kept from outliving it.
 *
 * <p>Each series has a directory {@value #PREFIX}ID on every host its steps run on ({@code {{ run_dir }}}
 * in benchmark files), holding who runs it (a {@link LockOwner} record) and a pid file for every
 * process that may outlive a command: each command ({@code cmd-N.pid}, so one cut short is still
 * found after the cleanup ran) and the servers a setup step starts ({@code iperf3.pid}, ...). Every command of the series runs with
 * {@code TUNER_BENCH=ID} in its environment, and only a process that still carries that mark is
 * signalled, so a pid the system has given to another process since is left alone.
 *
 * <p>At the end of a series — after its last run, a failure or an interrupt — every process named
 * there is stopped (its process group with SIGTERM, then SIGKILL after {@value #GRACE_SECONDS} s) and the
 * directory removed. A controller killed mid-series leaves its directory behind; the next series
 * on that host finds it and does the same, once the series is known to be over: its controller's
 * process is gone (when it ran on this machine) or it has not started a command (which adds a pid
 * file, touching the directory) for longer than its commands may take (when it ran elsewhere).
 */
public final class BenchmarkProcesses {
    static final String PREFIX = "/tmp/tuner-bench-";
    private static final String MARK = "TUNER_BENCH";
    private static final int GRACE_SECONDS = 3;
    /** How long after its last command started a series from another machine still counts as running, beyond its command timeout. */
    private static final Duration SLACK = Duration.ofMinutes(2);
    private static final Duration LIMIT = Duration.ofSeconds(60);

    /** Shell functions the scripts below share; {@code stop_series ID} stops what a series left and removes its directory. */
    private static final String FUNCTIONS = """
            marked() { [ -r "/proc/$1/environ" ] && tr '\\0' '\\n' < "/proc/$1/environ" 2>/dev/null | grep -qx "%s=$2"; }
            stop_series() {
              d="%s$1"; pids=
              for f in "$d"/*.pid; do
                [ -f "$f" ] || continue
                p=$(head -c 20 "$f" | tr -dc 0-9)
                [ -n "$p" ] && marked "$p" "$1" || continue
                echo "stopped ${f##*/} $p $(cat "/proc/$p/comm" 2>/dev/null)"
                kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
                pids="$pids $p"
              done
              n=0
              while [ -n "$pids" ] && [ $n -lt %d ]; do
                left=; for p in $pids; do marked "$p" "$1" && left="$left $p"; done; pids=$left
                [ -n "$pids" ] && sleep 0.1; n=$((n+1))
              done
              for p in $pids; do kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null; echo "killed $p"; done
              rm -rf -- "$d"
            }
            """.formatted(MARK, PREFIX, GRACE_SECONDS * 10);

    private final Connection connection;
    private final String id;
    private final AtomicInteger commands = new AtomicInteger();

    private BenchmarkProcesses(Connection connection, String id) {
        this.connection = connection;
        this.id = id;
    }

    /** The directory of series {@code id} on a host. */
    static String dir(String id) {
        return PREFIX + id;
    }

    /** This series' directory on its host. */
    String dir() {
        return dir(id);
    }

    /** A series directory found on a host, with its controller and how long it has been idle. */
    record Found(String id, LockOwner owner, long idleSeconds, long idleLimitSeconds) {
        /** Whether the series is over: its controller's process is gone, or (controller elsewhere or unknown) it has been idle too long. */
        boolean over() {
            Optional<Boolean> alive = owner.pid() > 0 ? owner.alive() : Optional.empty();
            if (alive.isPresent()) return !alive.get();
            return idleSeconds > Math.max(idleLimitSeconds, SLACK.toSeconds());
        }
    }

    /** A script printing a {@code series ...} line per series directory on the host (part of a benchmark's probe); {@link #found} reads them. */
    static final String LIST = "now=$(date +%s)\n"
            + "for d in " + PREFIX + "*; do\n"
            + "  [ -d \"$d\" ] && [ ! -L \"$d\" ] && [ -O \"$d\" ] || continue\n"
            + "  printf 'series %s %s %s ' \"${d#" + PREFIX + "}\" \"$((now - $(stat -c %Y \"$d\")))\" \"$(cat \"$d/idle-limit\" 2>/dev/null || echo 0)\"\n"
            + "  tr '\\n' ';' < \"$d/owner\" 2>/dev/null; echo\n"
            + "done\n";

    /** The series directories {@link #LIST} printed. */
    static List<Found> found(String listOutput) {
        List<Found> out = new ArrayList<>();
        for (String line : listOutput.split("\n")) {
            String[] f = line.split(" ", 5);
            if (f.length < 4 || !f[0].equals("series") || !f[1].matches("[A-Za-z0-9-]+")) continue;
            out.add(new Found(f[1], LockOwner.parse(f.length == 5 ? f[4].replace(';', '\n') : ""), seconds(f[2]), seconds(f[3])));
        }
        return out;
    }

    /**
     * Stops what the series in {@code found} that are over left on the host and removes their
     * directories, then creates the directory of series {@code id}; one command. {@code stopped}
     * gets one line per process stopped.
     *
     * @param timeout the longest a command of this series may take: another machine's series is over once it is idle longer
     */
    static BenchmarkProcesses start(Connection c, String id, Duration timeout, List<Found> found, List<String> stopped) {
        StringBuilder script = new StringBuilder(FUNCTIONS);
        List<Found> over = found.stream().filter(Found::over).toList();
        for (Found f : over) script.append("echo 'series ").append(f.id()).append("'; stop_series ").append(Shell.quote(f.id())).append('\n');
        String d = dir(id);
        script.append("d=").append(Shell.quote(d)).append('\n')
                .append("e=$(mkdir -m 700 -- \"$d\" 2>&1) || { echo \"$e\" >&2; exit 1; }\n")
                .append("cat > \"$d/owner\" && echo ").append(timeout.toSeconds() + SLACK.toSeconds()).append(" > \"$d/idle-limit\"\n");
        ExecResult r = c.exec(script.toString(), LockOwner.thisProcess("", "benchmark").text().getBytes(StandardCharsets.UTF_8), LIMIT);
        stopped.addAll(described(r.out(), over));
        if (!r.ok()) throw new TunerException("cannot create the benchmark directory " + d + " on " + c.hostName() + ": " + r.err().strip());
        return new BenchmarkProcesses(c, id);
    }

    /**
     * The script that runs {@code script} as a command of this series: marked, and its pid (the
     * shell's, which {@code exec} hands on to what it runs) recorded.
     */
    String wrap(String script) {
        return MARK + "=" + Shell.quote(id) + "; export " + MARK + "\n"
                + "echo $$ > " + Shell.quote(dir(id) + "/cmd-" + commands.incrementAndGet() + ".pid") + "\n"
                + script;
    }

    /** Stops every process the series still has on the host and removes its directory; returns the processes it stopped. */
    List<String> stop() {
        ExecResult r = connection.exec(FUNCTIONS + "stop_series " + Shell.quote(id) + "\n", null, LIMIT);
        return described(r.out(), List.of());
    }

    /**
     * Stops what benchmark series that are over left on the host a connection reaches, and removes
     * their directories; returns one line per process stopped ("iperf3.pid 4242 iperf3 (series
     * 1a2b3c4d of root@ctl01, pid 77)").
     */
    public static List<String> stopLeftovers(Connection c) {
        List<Found> over = found(c.exec(LIST, null, LIMIT).out()).stream().filter(Found::over).toList();
        if (over.isEmpty()) return List.of();
        StringBuilder script = new StringBuilder(FUNCTIONS);
        for (Found f : over) script.append("echo 'series ").append(f.id()).append("'; stop_series ").append(Shell.quote(f.id())).append('\n');
        return described(c.exec(script.toString(), null, LIMIT).out(), over);
    }

    /** The "stopped NAME.pid PID COMM" and "killed PID" lines of the stop script, each with the series it belonged to where known. */
    private static List<String> described(String out, List<Found> series) {
        List<String> lines = new ArrayList<>();
        String of = "";
        for (String line : out.split("\n")) {
            if (line.startsWith("series ")) {
                String id = line.substring(7).strip();
                of = series.stream().filter(f -> f.id().equals(id)).findFirst()
                        .map(f -> " (series " + id + " of " + f.owner().user() + "@" + f.owner().machine() + ", pid " + f.owner().pid() + ")")
                        .orElse("");
            } else if (line.startsWith("stopped ")) {
                lines.add(line.substring(8).strip() + of);
            } else if (line.startsWith("killed ")) {
                lines.add(line.strip() + of);
            }
        }
        return lines;
    }

    private static long seconds(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
