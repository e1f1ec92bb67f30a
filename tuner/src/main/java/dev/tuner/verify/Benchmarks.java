package dev.tuner.verify;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The benchmarks a run can use: the ones shipped inside the executable, overlaid by the
 * {@code verify/} directory a user keeps beside the playbooks (a file there replaces the shipped
 * benchmark of the same name, and new files add benchmarks).
 */
public final class Benchmarks {
    private Benchmarks() {}

    /** Shipped definitions plus those in {@code userDir} (may be null or absent). Throws with every problem. */
    public static BenchmarkCatalog load(Path userDir) {
        Diagnostics diags = new Diagnostics();
        Map<String, BenchmarkDef> defs = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : shipped().entrySet()) {
            BenchmarkDef d = BenchmarkLoader.parse(e.getValue(), "built-in verify/" + e.getKey(), stem(e.getKey()), diags);
            if (d != null) defs.put(d.name(), d);
        }
        if (userDir != null && Files.isDirectory(userDir)) {
            try (Stream<Path> s = Files.list(userDir)) {
                for (Path f : s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList()) {
                    BenchmarkDef d = BenchmarkLoader.load(f, userDir.getFileName() + "/" + f.getFileName(), diags);
                    if (d != null) defs.put(d.name(), d);
                }
            } catch (IOException e) {
                throw new InputException(dev.tuner.diag.Location.of(userDir.toString()), "cannot list benchmarks: " + e.getMessage());
            }
        }
        BenchmarkCatalog c = BenchmarkCatalog.of(new ArrayList<>(defs.values()), diags);
        diags.throwIfErrors();
        return c;
    }

    private static String stem(String file) {
        return file.replaceFirst("\\.ya?ml$", "");
    }

    /** File name → text of every verify/*.yml packaged with the program. */
    static Map<String, String> shipped() {
        Map<String, String> out = new java.util.TreeMap<>();
        URL url = Benchmarks.class.getResource("/verify/");
        try {
            if (url != null && url.getProtocol().equals("file")) {
                try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
                    for (Path p : s.filter(p -> p.toString().endsWith(".yml")).toList())
                        out.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
                }
                return out;
            }
            // Inside the executable: list the jar's entries (the launcher script before the zip data is fine for JarFile).
            Path jar = Path.of(Benchmarks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (JarFile jf = new JarFile(jar.toFile())) {
                Enumeration<JarEntry> en = jf.entries();
                while (en.hasMoreElements()) {
                    JarEntry e = en.nextElement();
                    if (e.getName().startsWith("verify/") && e.getName().endsWith(".yml")) {
                        try (InputStream in = jf.getInputStream(e)) {
                            out.put(e.getName().substring(7), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the shipped benchmarks: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The verify/ directory for a playbook, and only there: {@code verify/} beside the playbook,
     * or, for a playbook in a directory named {@code playbooks}, the {@code verify/} beside that
     * directory (a repository laid out as playbooks/, inventories/, verify/). No other directory
     * above is searched: a verify/ folder there belongs to something else. Null when neither exists.
     */
    public static Path userDirFor(Path playbookDir) {
        Path dir = playbookDir.toAbsolutePath().normalize();
        List<Path> places = new ArrayList<>(List.of(dir.resolve("verify")));
        if (dir.getFileName() != null && dir.getFileName().toString().equals("playbooks") && dir.getParent() != null) {
            places.add(dir.resolveSibling("verify"));
        }
        return places.stream().filter(Files::isDirectory).findFirst().orElse(null);
    }
}
