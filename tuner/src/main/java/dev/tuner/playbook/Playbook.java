package dev.tuner.playbook;

import java.nio.file.Path;
import java.util.List;

/** A parsed, validated playbook. */
public record Playbook(Path path, String displayName, List<Play> plays) {
    /** Directory relative paths in the playbook (vars_files, templates) resolve against. */
    public Path baseDir() {
        Path parent = path.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
