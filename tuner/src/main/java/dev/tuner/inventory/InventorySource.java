package dev.tuner.inventory;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where one {@code -i} value points. In order: an existing path (a file, or a directory read as
 * Ansible reads one); {@code inventories/NAME.yml|yaml|ini}; a directory {@code inventories/NAME/}.
 * A value with a comma that is not a path is Ansible's inline host list ({@code -i web1,web2,}).
 * {@code local}, when no file or directory has that name, is the built-in inventory of this machine
 * (group {@code local}, host {@code localhost}, {@code ansible_connection: local}), as Ansible has an
 * implicit localhost, so {@code -i local} works from any directory.
 */
record InventorySource(String spec, Path path, List<String> inlineHosts) {
    private static final List<String> NAMED_EXTENSIONS = List.of(".yml", ".yaml", ".ini");
    static final String BUILTIN_LOCAL = "local";

    boolean isInline() {
        return path == null;
    }

    boolean isBuiltinLocal() {
        return path == null && inlineHosts.isEmpty() && spec.equals(BUILTIN_LOCAL);
    }

    /** The directory whose group_vars/ and host_vars/ belong to this source (Ansible: the directory itself, or the file's). */
    Optional<Path> varsDir() {
        if (path == null) return Optional.empty();
        return Optional.of(Files.isDirectory(path) ? path : path.toAbsolutePath().getParent());
    }

    static Optional<InventorySource> resolve(String spec, Path baseDir, Diagnostics diags) {
        Location where = Location.of("-i " + spec);
        if (spec.isBlank()) {
            diags.error(where, "empty inventory name");
            return Optional.empty();
        }
        List<Path> tried = new ArrayList<>();
        Path direct = baseDir.resolve(spec).normalize();
        tried.add(direct);
        if (Files.exists(direct)) return Optional.of(new InventorySource(spec, direct, List.of()));
        if (spec.contains(",")) {
            List<String> hosts = java.util.Arrays.stream(spec.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            return Optional.of(new InventorySource(spec, null, hosts));
        }
        Path inventories = baseDir.resolve("inventories");
        for (String ext : NAMED_EXTENSIONS) {
            Path p = inventories.resolve(spec + ext).normalize();
            tried.add(p);
            if (Files.isRegularFile(p)) return Optional.of(new InventorySource(spec, p, List.of()));
        }
        Path dir = inventories.resolve(spec).normalize();
        tried.add(dir);
        if (Files.isDirectory(dir)) return Optional.of(new InventorySource(spec, dir, List.of()));
        if (spec.equals(BUILTIN_LOCAL)) return Optional.of(new InventorySource(spec, null, List.of()));
        PathNames names = new PathNames(baseDir);
        List<String> known = knownNames(inventories);
        diags.error(where, "inventory '" + spec + "' not found; tried " + String.join(", ", tried.stream().map(names::display).toList())
                + dev.tuner.diag.Suggest.didYouMean(spec, known));
        return Optional.empty();
    }

    private static List<String> knownNames(Path inventories) {
        if (!Files.isDirectory(inventories)) return List.of();
        try (var s = Files.list(inventories)) {
            return s.map(p -> p.getFileName().toString().replaceFirst("\\.(yml|yaml|ini)$", "")).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
