package dev.tuner.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.LabHosts.Host;
import dev.tuner.transport.ExecResult;
import dev.tuner.transport.Shell;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Files inside a lab host, read and written byte for byte through {@code lab/lab exec} (not through tuner). */
public final class LabFiles {
    /** A file's bytes, mode, owner and identity (inode and modification time: a rewrite changes them), or absence. */
    public record Snapshot(String path, byte[] bytes, String stat) {
        public boolean exists() {
            return bytes != null;
        }

        public String text() {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final LabHosts lab;

    public LabFiles(LabHosts lab) {
        this.lab = lab;
    }

    public static String ok(ExecResult r, String what) {
        assertThat(r.exitCode()).as("%s: exit %s, stderr: %s, stdout: %s", what, r.exitCode(), r.err(), r.out()).isZero();
        return r.out();
    }

    /** Writes {@code content} to {@code path} in the host (creating parent directories) with the given octal mode. */
    public void put(Host h, String path, String content, String mode) {
        String b64 = Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8));
        ok(lab.exec(h, "mkdir -p \"$(dirname " + Shell.quote(path) + ")\" && printf %s " + b64 + " | base64 -d > " + Shell.quote(path)
                + " && chmod " + mode + " " + Shell.quote(path)), "write " + path + " in " + h);
    }

    public void put(Host h, String path, String content) {
        put(h, path, content, "0644");
    }

    public Snapshot read(Host h, String path) {
        return readAll(h, List.of(path)).get(path);
    }

    public String text(Host h, String path) {
        Snapshot s = read(h, path);
        assertThat(s.exists()).as("%s exists in %s", path, h).isTrue();
        return s.text();
    }

    /** Several files of one host in one exec: a line per file, "stat TAB base64" or "absent". */
    public Map<String, Snapshot> readAll(Host h, List<String> paths) {
        StringBuilder script = new StringBuilder();
        for (String p : paths) {
            String q = Shell.quote(p);
            script.append("if [ -e ").append(q).append(" ]; then printf '%s\\t%s\\n' \"$(stat -c '%a %U:%G inode=%i mtime=%y' ")
                    .append(q).append(")\" \"$(base64 -w0 ").append(q).append(")\"; else echo absent; fi\n");
        }
        List<String> lines = ok(lab.exec(h, script.toString()), "read " + paths + " in " + h).lines().toList();
        assertThat(lines).as("one line per file read in %s", h).hasSize(paths.size());
        Map<String, Snapshot> out = new LinkedHashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            String line = lines.get(i);
            if (line.equals("absent")) {
                out.put(paths.get(i), new Snapshot(paths.get(i), null, "absent"));
            } else {
                int tab = line.indexOf('\t');
                out.put(paths.get(i), new Snapshot(paths.get(i), Base64.getDecoder().decode(line.substring(tab + 1)), line.substring(0, tab)));
            }
        }
        return out;
    }

    /** Asserts each file is exactly as in the snapshot: same bytes, or still absent; {@code sameFile} also demands it was never rewritten. */
    public void assertUnchanged(Host h, Map<String, Snapshot> before, boolean sameFile, String when) {
        Map<String, Snapshot> current = readAll(h, List.copyOf(before.keySet()));
        for (Snapshot was : before.values()) {
            Snapshot now = current.get(was.path());
            if (!was.exists()) {
                assertThat(now.exists()).as("%s: %s in %s did not exist before and must not exist now (%s)", when, was.path(), h, now.stat()).isFalse();
                continue;
            }
            assertThat(now.exists()).as("%s: %s in %s must exist", when, was.path(), h).isTrue();
            assertThat(now.text()).as("%s: %s in %s, as text", when, was.path(), h).isEqualTo(was.text());
            assertThat(now.bytes()).as("%s: %s in %s, byte for byte", when, was.path(), h).isEqualTo(was.bytes());
            String modeOwner = was.stat().substring(0, was.stat().indexOf(" inode="));
            assertThat(now.stat()).as("%s: %s in %s, mode and owner", when, was.path(), h).startsWith(modeOwner + " ");
            if (sameFile) assertThat(now.stat()).as("%s: %s in %s was not rewritten (inode, mtime)", when, was.path(), h).isEqualTo(was.stat());
        }
    }
}
