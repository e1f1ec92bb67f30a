package dev.tuner.settings.kit;

import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.SpecException;
import dev.tuner.settings.files.HostFiles;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way a kind writes values into kernel files (/proc/sys, /sys) at runtime: all of a plan's
 * writes in one exec, then each file read back, so the kind can compare what the kernel kept with
 * what it asked for. Files are read back once the writes before them are done (in batches of
 * {@value ReadScript#BATCH}), so a read shows what one write did to another file too (writing
 * vm.dirty_bytes zeroes vm.dirty_ratio).
 *
 * <p>The script is the same whatever the writes: paths and values travel on stdin, one line each,
 * and are read with {@code read -r} into variables, so no value is ever parsed by a shell and a
 * plan of thousands of keys fits. The write is done by the printf program, not dash's builtin:
 * dash reports every failed write as "I/O error" and so hides the kernel's answer (EINVAL, EBUSY,
 * ...). Read-back goes through the read script's own helpers: no fork per file.
 */
public final class KernelFiles {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** Record 2i is write i (its stderr and exit status), record 2i+1 its read-back. */
    private static final String WRITE_LOOP = """
            _tP=
            for _td in /usr/bin /bin; do [ -x "$_td/printf" ] && { _tP=$_td/printf; break; }; done
            _tw() { if [ -n "$_tP" ]; then "$_tP" '%s\n' "$1"; else env printf '%s\n' "$1"; fi; }
            _ti=0
            while read -r _ta && read -r _tv; do
              _th "$_ti r"
              { _tw "$_tv" >"$_ta"; } 2>&1 3>&-
              _th "$_ti s $?"
              _tf $((_ti + 1)) "$_ta"
              _ti=$((_ti + 2))
            done
            """;

    private KernelFiles() {}

    /** One value to write into one kernel file. */
    public record Write(String path, String value) {}

    /**
     * What became of one write: the kernel's refusal as errno text ("write error: Invalid argument"),
     * or null when the write went through; and the file as read back.
     */
    public record Outcome(String refusal, ReadOutput.Entry readBack) {
        public boolean refused() {
            return refusal != null;
        }
    }

    /** Writes each value in order and reads the files back; outcomes in the order of {@code writes}. */
    public static List<Outcome> write(Connection c, List<Write> writes) {
        List<ReadScript.Probe> probes = new ArrayList<>();
        StringBuilder stdin = new StringBuilder();
        for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            // Plans can come back from a journal file: check again whatever reaches the shell.
            HostFiles.checkPath(w.path());
            if (w.value().chars().anyMatch(ch -> ch == '\n' || ch == '\r' || ch == 0))
                throw new SpecException("the value for " + w.path() + " must be one line");
            probes.add(ReadScript.Probe.output("write " + i));
            probes.add(ReadScript.Probe.file("read " + i, w.path()));
            stdin.append(w.path()).append('\n').append(w.value()).append('\n');
        }
        String token = ReadScript.newToken();
        String script = ReadScript.prelude(token) + WRITE_LOOP + ReadScript.closing();
        ExecResult r = c.exec(script, stdin.toString().getBytes(StandardCharsets.UTF_8), TIMEOUT);
        ReadOutput out = ReadScript.answer(r, c.hostName(), token, probes);
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            ReadOutput.Entry written = out.entry("write " + i);
            String refusal = written.status() == ReadOutput.Status.ERROR ? errnoText(written.text()) : null;
            outcomes.add(new Outcome(refusal, out.entry("read " + i)));
        }
        return outcomes;
    }

    /**
     * The kernel's answer in a shell's error message: "printf: write error: Invalid argument" →
     * "write error: Invalid argument"; "sh: 1: cannot create /sys/x: Read-only file system" →
     * "cannot create /sys/x: Read-only file system".
     */
    public static String errnoText(String shellMessage) {
        String m = shellMessage.strip();
        int idx = m.indexOf("write error:");
        if (idx >= 0) return m.substring(idx);
        return m.replaceFirst("^(/bin/)?sh: \\d+: ", "");
    }
}
