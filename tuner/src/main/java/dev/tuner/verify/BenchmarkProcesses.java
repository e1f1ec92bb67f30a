package dev.tuner.verify;

import dev.tuner.diag.TunerException;
import dev.tuner.lock.LockOwner;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
    private final java.util.concurrent.atomic.AtomicInteger commands = new java.util.concurrent.atomic.AtomicInteger();

    private BenchmarkProcesses(Connection connection, String id) {
        this.connection = connection;
        this.id = id;
    }

    /** The directory of series {@code id} on a host. */
    static String dir(String id) {
        return PREFIX + id;
    }

    /**
     * Stops what finished series left on the host (see the class comment), then creates the
     * directory of series {@code id}. {@code leftovers} gets one line per process stopped.
     *
     * @param timeout the longest a command of this series may take: another machine's series is over once it is this long idle
     */
    static BenchmarkProcesses start(Connection c, String id, Duration timeout, List<String> leftovers) {
        leftovers.addAll(stopLeftovers(c));
        String d = dir(id);
        String script = "d=" + Shell.quote(d) + "\n"
                + "e=$(mkdir -m 700 -- \"$d\" 2>&1) || { echo \"$e\" >&2; exit 1; }\n"
                + "cat > \"$d/owner\" && echo " + (timeout.toSeconds() + SLACK.toSeconds()) + " > \"$d/idle-limit\"\n";
        ExecResult r = c.exec(script, LockOwner.thisProcess("", "benchmark").text().getBytes(java.nio.charset.StandardCharsets.UTF_8), LIMIT);
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
        return lines(r.out());
    }

    /**
     * Stops what benchmark series that are over left on the host a connection reaches, and removes
     * their directories; returns one line per process stopped ("iperf3.pid 4242 iperf3 (series
     * 1a2b3c4d of root@ctl01, pid 77)").
     */
    public static List<String> stopLeftovers(Connection c) {
        String list = "now=$(date +%s)\n"
                + "for d in " + PREFIX + "*; do\n"
                + "  [ -d \"$d\" ] && [ ! -L \"$d\" ] && [ -O \"$d\" ] || continue\n"
                + "  idle=$((now - $(stat -c %Y \"$d\")))\n"
                + "  printf 'series %s %s %s ' \"${d#" + PREFIX + "}\" \"$idle\" \"$(cat \"$d/idle-limit\" 2>/dev/null || echo 0)\"\n"
                + "  tr '\\n' ';' < \"$d/owner\" 2>/dev/null; echo\n"
                + "done\n";
        ExecResult r = c.exec(list, null, LIMIT);
        List<String> over = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            String[] f = line.split(" ", 5);
            if (f.length < 4 || !f[0].equals("series") || !f[1].matches("[A-Za-z0-9-]+")) continue;
            LockOwner owner = LockOwner.parse(f.length == 5 ? f[4].replace(';', '\n') : "");
            if (over(owner, seconds(f[2]), seconds(f[3]))) {
                over.add(f[1]);
                owners.add(owner.user() + "@" + owner.machine() + ", pid " + owner.pid());
            }
        }
        if (over.isEmpty()) return List.of();
        StringBuilder script = new StringBuilder(FUNCTIONS);
        for (String s : over) script.append("echo \"series ").append(s).append("\"; stop_series ").append(Shell.quote(s)).append('\n');
        ExecResult stopped = c.exec(script.toString(), null, LIMIT);
        List<String> out = new ArrayList<>();
        String series = "";
        for (String line : lines(stopped.out())) {
            if (line.startsWith("series ")) {
                String s = line.substring(7);
                series = " (series " + s + " of " + owners.get(over.indexOf(s)) + ")";
            } else {
                out.add(line + series);
            }
        }
        return out;
    }

    /** Whether a series is over: its controller's process is gone, or (controller elsewhere or unknown) it has been idle too long. */
    private static boolean over(LockOwner owner, long idleSeconds, long idleLimitSeconds) {
        var alive = owner.pid() > 0 ? owner.alive() : java.util.Optional.<Boolean>empty();
        if (alive.isPresent()) return !alive.get();
        return idleSeconds > Math.max(idleLimitSeconds, SLACK.toSeconds());
    }

    private static long seconds(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** "stopped NAME.pid PID COMM" lines as "NAME.pid PID COMM"; "killed PID" lines as they are. */
    private static List<String> lines(String out) {
        List<String> l = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("stopped ")) l.add(line.substring(8).strip());
            else if (line.startsWith("killed ") || line.startsWith("series ")) l.add(line.strip());
        }
        return l;
    }
}
