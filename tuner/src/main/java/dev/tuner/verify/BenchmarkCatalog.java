package dev.tuner.verify;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.InputException;
import dev.tuner.diag.Location;
import dev.tuner.diag.Suggest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every benchmark in a {@code verify/} directory, by name. A user adds a benchmark by dropping
 * {@code NAME.yml} there; nothing else to register.
 */
public final class BenchmarkCatalog {
    private final Map<String, BenchmarkDef> byName;

    private BenchmarkCatalog(Map<String, BenchmarkDef> byName) {
        this.byName = byName;
    }

    /** Loads {@code dir/*.yml} and {@code *.yaml}; throws {@link InputException} listing every problem. */
    public static BenchmarkCatalog load(Path dir) {
        Diagnostics diags = new Diagnostics();
        BenchmarkCatalog c = load(dir, diags);
        diags.throwIfErrors();
        return c;
    }

    public static BenchmarkCatalog load(Path dir, Diagnostics diags) {
        List<BenchmarkDef> defs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            diags.error(Location.of(dir.toString()), "benchmark directory not found");
            return new BenchmarkCatalog(Map.of());
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            diags.error(Location.of(dir.toString()), "cannot list benchmark directory: " + e.getMessage());
            return new BenchmarkCatalog(Map.of());
        }
        for (Path f : files) {
            BenchmarkDef d = BenchmarkLoader.load(f, dir.getFileName() + "/" + f.getFileName(), diags);
            if (d != null) defs.add(d);
        }
        return of(defs, diags);
    }

    /** Cross-file checks: unique names, fallbacks that exist and do not loop. */
    public static BenchmarkCatalog of(Collection<BenchmarkDef> defs, Diagnostics diags) {
        Map<String, BenchmarkDef> byName = new TreeMap<>();
        for (BenchmarkDef d : defs) {
            BenchmarkDef first = byName.putIfAbsent(d.name(), d);
            if (first != null) diags.error(d.location(), "benchmark '" + d.name() + "' is also defined at " + first.location());
        }
        for (BenchmarkDef d : byName.values()) {
            if (d.fallback() == null) continue;
            if (!byName.containsKey(d.fallback())) {
                diags.error(d.location(), "benchmark '" + d.name() + "': fallback '" + d.fallback() + "' is not defined"
                        + Suggest.didYouMean(d.fallback(), byName.keySet()));
                continue;
            }
            Set<String> seen = new LinkedHashSet<>();
            for (BenchmarkDef x = d; x != null && x.fallback() != null; x = byName.get(x.fallback())) {
                if (!seen.add(x.name())) {
                    diags.error(d.location(), "benchmark '" + d.name() + "': fallbacks loop: " + String.join(" -> ", seen) + " -> " + x.name());
                    break;
                }
            }
        }
        return new BenchmarkCatalog(byName);
    }

    public BenchmarkDef get(String name) {
        BenchmarkDef d = byName.get(name);
        if (d == null) {
            throw new InputException(Location.of("verify/"), "no benchmark named '" + name + "'"
                    + Suggest.didYouMean(name, byName.keySet()) + "; known: " + String.join(", ", byName.keySet()));
        }
        return d;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** {@code name} followed by its fallbacks in order. */
    public List<BenchmarkDef> chain(String name) {
        List<BenchmarkDef> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (BenchmarkDef d = get(name); d != null && seen.add(d.name()); d = d.fallback() == null ? null : byName.get(d.fallback())) {
            out.add(d);
        }
        return out;
    }

    Map<String, BenchmarkDef> asMap() {
        return new LinkedHashMap<>(byName);
    }
}
