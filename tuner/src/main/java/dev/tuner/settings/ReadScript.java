package dev.tuner.settings;

import dev.tuner.diag.TunerException;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.Shell;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the one read-only shell script that gathers every current value a play needs on a host,
 * runs it and parses its answer ({@link #run}). The script travels on stdin, so its size (a play of
 * thousands of sysctl keys) is bounded by nothing on the host.
 *
 * <p>It forks nothing per file: the shell's builtins decide whether each path is missing, a
 * directory or a file, and one {@code cat} (per {@value #BATCH} files) copies the files' bytes,
 * exactly as they are (no final newline, CR, bytes that are not UTF-8, NUL). Between two files that
 * cat reads {@code /proc/self/environ}, which {@code env -i} has made exactly {@code _tb=TOKEN\0},
 * TOKEN being random for each run: no file can contain it, so it cuts the stream unambiguously. A
 * file cat cannot read (EIO, EACCES) is told apart the same way on cat's stderr, where a path that
 * cannot exist ({@code /proc/self/environ/TOKEN}, "Not a directory") follows each file.
 *
 * <p>Each file's mode, owner and group come with its bytes (see {@link ReadOutput.Attributes}): one
 * {@code stat} per batch, run before its cat, lists them NUL-separated, by path. Kernel attributes
 * under {@code /proc} and {@code /sys} are not files any kind writes, and are not stat'ed.
 *
 * <p>Everything else the script prints is a record: a line {@code TOKEN FIELDS} after a newline,
 * then payload bytes up to the next record. A directory where a file is expected is an error, not
 * an empty file: a plan must never propose to write over it. An answer without the closing record
 * (a killed shell, a lost connection) fails the read instead of reporting every file missing.
 */
public final class ReadScript {
    /** Files per cat: keeps its argument list far below any host's ARG_MAX (about 60 KB). */
    public static final int BATCH = 500;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FIXED_GLOB = Pattern.compile("[A-Za-z0-9_.*?-]+");

    /**
     * The helpers every script starts with. {@code _tf IDX PATH} reports PATH as missing (m), a
     * directory (d), something else that is not a regular file (n: a FIFO would hang cat) or queued
     * for the next cat (c); {@code _tg IDX DIR PATTERN} reports each path
     * matching DIR/PATTERN (p, the path as payload) and then reads it like {@code _tf}; {@code _tc}
     * runs stat over the queue (a: the files' attributes), then cat. IFS is empty, so an unquoted
     * pattern undergoes pathname expansion and nothing else.
     */
    private static final String PRELUDE = """
            IFS=
            exec 3>&1
            _te=/proc/self/environ
            _tx=$_te/$_tb
            _tn=0
            _tq=
            _ts=
            _th() { printf '\\n%s %s\\n' "$_tb" "$1"; }
            _tf() {
              if [ -d "$2" ]; then _th "$1 d"
              elif [ -e "$2" ] && [ ! -f "$2" ]; then _th "$1 n"
              elif [ -e "$2" ]; then
                _tn=$((_tn + 1))
                eval "_tp$_tn=\\$2"
                _tq="$_tq \\"\\$_tp$_tn\\" \\"\\$_te\\" \\"\\$_tx\\""
                case $2 in /proc/*|/sys/*) ;; *) _ts="$_ts \\"\\$_tp$_tn\\"" ;; esac
                _th "$1 c"
                [ "$_tn" -lt @BATCH@ ] || _tc
              else _th "$1 m"
              fi
            }
            _tg() {
              for _tm in "$2"/$3; do
                [ -e "$_tm" ] || continue
                _th "$1 p"
                printf '%s' "$_tm"
                _tf "$1" "$_tm"
              done
            }
            _tc() {
              [ "$_tn" -gt 0 ] || return 0
              if [ -n "$_ts" ]; then
                _th "- a"
                eval "stat -L --printf '%a %U %G %n\\0' --$_ts" 2>/dev/null 3>&-
                _ts=
              fi
              _th "- b"
              _tr=$(eval "env -i _tb=\\"\\$_tb\\" cat -- \\"\\$_tx\\" \\"\\$_te\\"$_tq" 2>&1 >&3 3>&-)
              _th "- e $_tn"
              printf '%s' "$_tr"
              _tn=0
              _tq=
            }
            """.replace("@BATCH@", String.valueOf(BATCH));

    private final List<Probe> probes = new ArrayList<>();
    private final Set<String> lines = new LinkedHashSet<>();

    /**
     * What one numbered record of a script stands for: a file read under an id ({@code _tf}), the
     * files matching a glob under a prefix ({@code _tg}), or a command's output under an id
     * ({@code r} and {@code s} records).
     */
    public record Probe(String id, String path, String prefix, Kind kind) {
        public enum Kind { FILE, GLOB, OUTPUT }

        public static Probe file(String id, String path) {
            return new Probe(id, path, null, Kind.FILE);
        }

        public static Probe output(String id) {
            return new Probe(id, null, null, Kind.OUTPUT);
        }

        static Probe glob(String prefix) {
            return new Probe(null, null, prefix, Kind.GLOB);
        }
    }

    /** Reads a file (or /proc, /sys entry) under the given id. */
    public ReadScript file(String id, String path) {
        add(Probe.file(id, path), i -> "_tf " + i + " " + Shell.quote(path));
        return this;
    }

    /**
     * Reads every file matching a shell glob in {@code dir} (e.g. {@code *.conf}); each file is
     * reported under id {@code prefix + path}. The glob itself is fixed text from the kind.
     */
    public ReadScript glob(String prefix, String dir, String pattern) {
        if (!FIXED_GLOB.matcher(pattern).matches()) throw new IllegalArgumentException("unsafe glob " + pattern);
        add(Probe.glob(prefix), i -> "_tg " + i + " " + Shell.quote(dir) + " " + Shell.quote(pattern));
        return this;
    }

    /**
     * Reads every file matching an absolute path pattern ({@code /sys/block/sd*}{@code /queue/scheduler}),
     * wildcards allowed in any component; each file is reported under id {@code prefix + path}. The
     * pattern is data, not script: it undergoes pathname expansion and nothing else.
     */
    public ReadScript matching(String prefix, String absolutePattern) {
        if (!absolutePattern.startsWith("/")) throw new IllegalArgumentException("pattern must be absolute: " + absolutePattern);
        add(Probe.glob(prefix), i -> "_tg " + i + " '' " + Shell.quote(absolutePattern.substring(1)));
        return this;
    }

    /**
     * Runs a read-only command (arguments are quoted) and records its output (stdout and stderr,
     * trailing newlines dropped as {@code $(...)} does) under the id: an error when it exits non-zero.
     */
    public ReadScript command(String id, String... argv) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) sb.append(Shell.quote(a)).append(' ');
        String cmd = sb.toString();
        add(Probe.output(id), i -> output(i, cmd));
        return this;
    }

    /** Runs a fixed shell snippet written by a kind (never containing user values), like {@link #command}. */
    public ReadScript shell(String id, String snippet) {
        // A subshell, not a new sh: a fork without an exec, and the snippet cannot touch the script's variables.
        String cmd = "(unset IFS; eval " + Shell.quote(snippet) + ") ";
        add(Probe.output(id), i -> output(i, cmd));
        return this;
    }

    private static String output(int i, String cmd) {
        return "_th '" + i + " r'; " + cmd + "</dev/null 2>&1 3>&-; _th \"" + i + " s $?\"";
    }

    private interface Line {
        String at(int index);
    }

    private void add(Probe probe, Line line) {
        // The same probe asked twice (two kinds reading one file) is read once.
        String text = line.at(probes.size());
        if (lines.add(text)) probes.add(probe);
    }

    public boolean isEmpty() {
        return probes.isEmpty();
    }

    /** Runs the script on the host (on stdin) and parses its answer; a read that did not complete throws. */
    public ReadOutput run(Connection c, Duration timeout) {
        String token = newToken();
        ExecResult r = c.execScript(render(token).getBytes(StandardCharsets.UTF_8), timeout);
        return answer(r, c.hostName(), token, probes);
    }

    /**
     * The answer of a script built from {@link #prelude}, numbered records and {@link #closing}: per
     * id, what was read. Throws when the answer is incomplete (the shell was killed, a cat could not
     * run), naming the host, the exit status and what the shell said.
     */
    public static ReadOutput answer(ExecResult r, String hostName, String token, List<Probe> probes) {
        try {
            return ReadOutput.parse(r.stdout(), token, probes);
        } catch (ReadOutput.Incomplete e) {
            String err = r.err().strip();
            throw new TunerException("reading current values on " + hostName + " did not complete (exit status "
                    + r.exitCode() + (err.isEmpty() ? "" : ": " + err) + "): " + e.getMessage());
        }
    }

    String render(String token) {
        StringBuilder sb = new StringBuilder(prelude(token));
        for (String l : lines) sb.append(l).append('\n');
        return sb.append(closing()).toString();
    }

    /** A fresh random token: 128 bits, as hex. */
    public static String newToken() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * The helpers with this run's token, for scripts that read files the same way after doing
     * something else first (the kernel-file writer reads back what it wrote with {@code _tf}).
     */
    public static String prelude(String token) {
        return "_tb=" + token + "\n" + PRELUDE;
    }

    /** The end of every script: the last cat, then the closing record. */
    public static String closing() {
        return "_tc\n_th '- end'\n";
    }
}
