package dev.tuner.testing;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the repository's shipped files (playbooks, inventories, docs, lab/, verify/) and their own resources. */
public final class Repo {
    private Repo() {}

    /**
     * The repository root: the system property {@code tuner.repo} (surefire sets it), else the
     * nearest ancestor of the working directory holding {@code tuner/pom.xml} (an IDE run from the
     * module directory or from the root).
     */
    public static Path root() {
        String property = System.getProperty("tuner.repo");
        if (property != null) return Path.of(property).toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        for (Path d = cwd; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("tuner/pom.xml"))) return d;
        }
        throw new IllegalStateException("cannot find the repository root from " + cwd + ": set -Dtuner.repo=<repository root>");
    }

    /** A file of the repository, e.g. {@code path("playbooks/db-host.yml")}. */
    public static Path path(String relative) {
        return root().resolve(relative);
    }

    /** A test resource (under tuner/src/test/resources) as a file path. */
    public static Path resource(String name) {
        try {
            return Path.of(Repo.class.getResource("/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource not found: " + name, e);
        }
    }
}
