package dev.tuner.inventory;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Location;
import dev.tuner.yaml.YamlDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * group_vars/ and host_vars/ beside an inventory, found as Ansible's host_group_vars plugin finds
 * them: the first of {@code NAME}, {@code NAME.yml}, {@code NAME.yaml}, {@code NAME.json} that
 * exists; when it is a directory, all its files (no extension or one of those) in sorted order,
 * subdirectories included, later files overriding earlier ones. Each file is read once.
 */
final class VarsFiles {
    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

    private final Diagnostics diags;
    private final PathNames names;
    private final Map<Path, Map<String, Object>> cache = new HashMap<>();
    private final Map<Path, Set<String>> listings = new HashMap<>();

    VarsFiles(Diagnostics diags, PathNames names) {
        this.diags = diags;
        this.names = names;
    }

    Map<String, Object> groupVars(Path inventoryDir, String group) {
        return load(inventoryDir.resolve("group_vars"), group);
    }

    Map<String, Object> hostVars(Path inventoryDir, String host) {
        return load(inventoryDir.resolve("host_vars"), host);
    }

    private Map<String, Object> load(Path dir, String name) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (name.startsWith("/")) return out;
        for (Path f : find(dir, name)) out.putAll(read(f));
        return out;
    }

    private List<Path> find(Path dir, String name) {
        // One listing per directory: a hundred thousand hosts cost a hundred thousand lookups, not stat calls.
        Set<String> entries = listings.computeIfAbsent(dir, VarsFiles::entryNames);
        for (String ext : EXTENSIONS) {
            if (!entries.contains(name + ext)) continue;
            Path p = dir.resolve(name + ext);
            if (Files.isDirectory(p)) return walk(p, new java.util.HashSet<>());
            // Anything else that is there is read, so a pipe or device is refused saying so, not skipped.
            return List.of(p);
        }
        return List.of();
    }

    private List<Path> walk(Path dir, Set<Path> seen) {
        List<Path> found = new ArrayList<>();
        try {
            // A symbolic link back up the tree would otherwise be followed forever.
            if (!seen.add(dir.toRealPath())) return found;
        } catch (IOException e) {
            diags.error(Location.of(names.display(dir)), "cannot list directory: " + e.getMessage());
            return found;
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted().toList();
        } catch (IOException e) {
            diags.error(Location.of(names.display(dir)), "cannot list directory: " + e.getMessage());
            return found;
        }
        for (Path p : entries) {
            String n = p.getFileName().toString();
            if (n.startsWith(".") || n.endsWith("~")) continue;
            String ext = extension(n);
            if (Files.isDirectory(p) && ext.isEmpty()) found.addAll(walk(p, seen));
            else if (!Files.isDirectory(p) && EXTENSIONS.contains(ext)) found.add(p);
        }
        return found;
    }

    /** The names in a directory; none when it is not one (or cannot be listed: walk() reports that where it matters). */
    private static Set<String> entryNames(Path dir) {
        if (!Files.isDirectory(dir)) return Set.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot <= 0 ? "" : fileName.substring(dot);
    }

    private Map<String, Object> read(Path file) {
        return cache.computeIfAbsent(file, f -> {
            String display = names.display(f);
            YamlDocument doc = YamlDocument.load(f, display, "variables file", diags);
            Map<String, Object> vars = new LinkedHashMap<>();
            if (doc == null || doc.root().isEmpty()) return vars;
            Node root = doc.root().get();
            if (root instanceof ScalarNode s && YamlDocument.scalar(s) == null) return vars;
            if (!(root instanceof MappingNode map)) {
                diags.error(doc.at(root), "a variables file must be a mapping of variable names to values, got a "
                        + YamlDocument.typeName(root));
                return vars;
            }
            for (NodeTuple t : map.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    diags.error(doc.at(t.getKeyNode()), "variable name must be a plain string, got a " + YamlDocument.typeName(t.getKeyNode()));
                    continue;
                }
                if (k.getValue().isEmpty()) {
                    diags.error(doc.at(k), "empty variable name");
                    continue;
                }
                if (!k.getValue().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    diags.warning(doc.at(k), "variable name '" + k.getValue() + "' is not a valid identifier (letters, digits and '_',"
                            + " not starting with a digit); playbooks cannot refer to it");
                }
            }
            Object java = YamlDocument.toJava(root);
            if (java instanceof Map<?, ?> m) m.forEach((key, v) -> vars.put(String.valueOf(key), v));
            return vars;
        });
    }
}
