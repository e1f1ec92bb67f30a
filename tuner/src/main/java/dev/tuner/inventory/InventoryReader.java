package dev.tuner.inventory;

import dev.tuner.diag.Diagnostics;
import dev.tuner.diag.Location;
import dev.tuner.yaml.InputFile;
import dev.tuner.yaml.YamlDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the files of one inventory source into the shared {@link InventoryData}. A directory is
 * read as Ansible reads it: every file in sorted order, subdirectories too, skipping hidden files,
 * group_vars/, host_vars/ and the extensions Ansible ignores there (.ini, .cfg, .md, .txt, ...).
 * A file's format follows its extension (.yml/.yaml/.json YAML, anything else INI); a file with no
 * extension is YAML when it parses as a YAML mapping, else INI, as Ansible's plugin chain decides.
 */
final class InventoryReader {
    private static final Pattern IGNORED = Pattern.compile(
            "^\\..*|^host_vars$|^group_vars$|^vars_plugins$|.*(\\.pyc|\\.pyo|\\.swp|\\.bak|~|\\.rpm|\\.md|\\.txt|\\.rst|\\.orig|\\.ini|\\.cfg|\\.retry)$");

    private final InventoryData data;
    private final Diagnostics diags;
    private final PathNames names;

    InventoryReader(InventoryData data, Diagnostics diags, PathNames names) {
        this.data = data;
        this.diags = diags;
        this.names = names;
    }

    void read(InventorySource source) {
        if (source.isBuiltinLocal()) {
            Location builtin = Location.of("-i " + source.spec() + " (built in)");
            InventoryData.HostNode localhost = data.addHost("localhost", data.addGroup(InventorySource.BUILTIN_LOCAL, builtin), null, builtin);
            if (localhost != null) data.setHostVar(localhost, "ansible_connection", "local", builtin);
            return;
        }
        if (source.isInline()) {
            Location at = Location.of("-i " + source.spec());
            for (String h : source.inlineHosts()) {
                HostPatternSyntax.Expanded e = HostPatternSyntax.expand(h, at, diags);
                if (e != null) data.addHosts(e, data.group(InventoryData.UNGROUPED), at, host -> { });
            }
            return;
        }
        Path p = source.path();
        if (Files.isDirectory(p)) {
            List<Path> files = filesOf(p, new java.util.HashSet<>());
            if (files.isEmpty()) {
                diags.error(Location.of(names.display(p)), "inventory directory holds no inventory file (Ansible, and so tuner,"
                        + " skips hidden files, group_vars/, host_vars/ and *.ini, *.cfg, *.txt, *.md there: name it 'hosts' or 'hosts.yml')");
            }
            for (Path f : files) readFile(f);
        } else {
            readFile(p);
        }
    }

    private List<Path> filesOf(Path dir, java.util.Set<Path> seen) {
        List<Path> out = new ArrayList<>();
        try {
            // A symbolic link back up the tree would otherwise be followed forever.
            if (!seen.add(dir.toRealPath())) return out;
        } catch (IOException e) {
            diags.error(Location.of(names.display(dir)), "cannot list inventory directory: " + e.getMessage());
            return out;
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted().toList();
        } catch (IOException e) {
            diags.error(Location.of(names.display(dir)), "cannot list inventory directory: " + e.getMessage());
            return out;
        }
        for (Path e : entries) {
            if (IGNORED.matcher(e.getFileName().toString()).matches()) continue;
            if (Files.isDirectory(e)) out.addAll(filesOf(e, seen));
            // Anything else is read, so a pipe or device is refused saying so, not skipped.
            else out.add(e);
        }
        return out;
    }

    void readFile(Path file) {
        String display = names.display(file);
        String text = InputFile.read(file, display, "inventory", diags);
        if (text == null) return;
        String fileName = file.getFileName().toString();
        String ext = fileName.contains(".") ? fileName.substring(fileName.lastIndexOf('.')).toLowerCase() : "";
        boolean yaml = switch (ext) {
            case ".yml", ".yaml", ".json" -> true;
            case "" -> YamlInventoryParser.looksLikeYamlInventory(text);
            default -> false;
        };
        if (yaml) {
            YamlDocument doc = YamlDocument.parse(text, display, diags);
            if (doc != null) new YamlInventoryParser(doc, data, diags).parse();
        } else {
            new IniInventoryParser(display, data, diags).parse(text);
        }
    }
}
