package dev.tuner.settings.kit;

import dev.tuner.settings.ReadOutput;
import dev.tuner.settings.ReadScript;
import dev.tuner.settings.SpecException;
import dev.tuner.settings.files.HostFiles;
import dev.tuner.transport.Connection;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.Shell;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way a kind writes values into kernel files (/proc/sys, /sys) at runtime: all of a plan's
 * writes in one exec, each file read back right after its write, so the kind can compare what the
 * kernel kept with what it asked for.
 *
 * <p>Values travel on stdin and are read with {@code read -r} into a variable, so no value is ever
 * parsed by a shell; paths are quoted. The write is done by the printf program, not dash's builtin:
 * dash reports every failed write as "I/O error" and so hides the kernel's answer (EINVAL, EBUSY, ...).
 */
public final class KernelFiles {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private KernelFiles() {}

    /** One value to write into one kernel file. */
    public record Write(String path, String value) {}

    /**
     * What became of one write: the kernel's refusal as errno text ("write error: Invalid argument"),
     * or null when the write went through; and the file as read right after.
     */
    public record Outcome(String refusal, ReadOutput.Entry readBack) {
        public boolean refused() {
            return refusal != null;
        }
    }

    /** Writes each value in order and reads each file back; outcomes in the order of {@code writes}. */
    public static List<Outcome> write(Connection c, List<Write> writes) {
        StringBuilder script = new StringBuilder(ReadScript.prelude());
        StringBuilder stdin = new StringBuilder();
        for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            // Plans can come back from a journal file: check again whatever reaches the shell.
            HostFiles.checkPath(w.path());
            if (w.value().chars().anyMatch(ch -> ch == '\n' || ch == '\r' || ch == 0))
                throw new SpecException("the value for " + w.path() + " must be one line");
            String path = Shell.quote(w.path());
            script.append("IFS= read -r v\n")
                    .append("if ! e=$( { env printf '%s\\n' \"$v\" > ").append(path).append("; } 2>&1 ); then ")
                    .append("printf 'F ").append(i).append(" %s\\n' \"$(printf '%s' \"$e\" | tuner_b64)\"; fi\n")
                    .append("tuner_file ").append(encoded(String.valueOf(i))).append(' ').append(path).append('\n');
            stdin.append(w.value()).append('\n');
        }
        ExecResult r = c.exec(script.toString(), stdin.toString().getBytes(StandardCharsets.UTF_8), TIMEOUT);
        Map<Integer, String> refusals = new HashMap<>();
        for (String line : r.out().split("\n")) {
            String[] p = line.trim().split(" ");
            if (p.length >= 2 && p[0].equals("F")) {
                String msg = p.length > 2 ? new String(Base64.getDecoder().decode(p[2]), StandardCharsets.UTF_8) : "";
                refusals.put(Integer.parseInt(p[1]), errnoText(msg));
            }
        }
        ReadOutput back = ReadOutput.parse(r.out());
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) out.add(new Outcome(refusals.get(i), back.entry(String.valueOf(i))));
        return out;
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

    private static String encoded(String id) {
        return Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }
}
