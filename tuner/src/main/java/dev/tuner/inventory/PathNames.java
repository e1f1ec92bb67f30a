package dev.tuner.inventory;

import java.nio.file.Path;

/** File names as messages show them: relative to the directory the user works in when inside it. */
record PathNames(Path baseDir) {
    String display(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path base = baseDir.toAbsolutePath().normalize();
        return abs.startsWith(base) && !abs.equals(base) ? base.relativize(abs).toString() : abs.toString();
    }
}
