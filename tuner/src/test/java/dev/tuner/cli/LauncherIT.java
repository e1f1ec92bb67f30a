package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.testing.Peers;
import dev.tuner.testing.Repo;
import dev.tuner.testing.TunerExecutable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable's launcher keeps a class data sharing archive in a cache directory: the first run
 * of a command lists the classes it loads, the next builds the archive, later ones map their classes
 * from it. Whatever the directory holds, or without one, a run prints exactly what it prints with
 * the archive turned off, and nothing more.
 */
class LauncherIT {
    /** An archive is named after its size: {@code <jar and JVM identity>-<bytes>.jsa}. */
    private static final Pattern ARCHIVE = Pattern.compile(".*-(\\d+)\\.jsa");

    private static final String PLAYBOOK = Repo.path("playbooks/db-host.yml").toString();

    @TempDir
    Path tmp;

    @Test
    void theRunAfterACommandDidItsWorkBuildsTheArchiveLaterRunsLoadTheirClassesFrom() throws IOException {
        Path cache = tmp.resolve("cache");
        TunerExecutable.Result version = run(Map.of("TUNER_CDS", "off"), "--version");
        assertThat(version.exitCode()).as(version.screen()).isZero();
        assertThat(version.out()).startsWith("tuner " + projectVersion() + " (commit ");
        TunerExecutable.Result validated = run(Map.of("TUNER_CDS", "off"), "validate", PLAYBOOK);
        assertThat(validated.exitCode()).as(validated.screen()).isZero();
        TunerExecutable.Result missing = run(Map.of("TUNER_CDS", "off"), "validate", "no-such-playbook.yml");
        assertThat(missing.exitCode()).as(missing.screen()).isEqualTo(1);
        TunerExecutable.Result help = run(Map.of("TUNER_CDS", "off"), "validate", "--help");

        // Help, the version and a run stopped by bad input load too little of a command to list.
        assertSameAs(version, run(cache, "--version"));
        assertSameAs(help, run(cache, "validate", "--help"));
        assertSameAs(missing, run(cache, "validate", "no-such-playbook.yml"));
        assertThat(files(cache, "")).isEmpty();

        assertSameAs(validated, run(cache, "validate", PLAYBOOK));
        assertThat(files(cache, "")).hasSize(1).allSatisfy(f -> assertThat(f.toString()).endsWith("validate.classlist"));
        assertSameAs(validated, run(cache, "validate", PLAYBOOK));
        assertThat(archives(cache)).hasSize(1).allSatisfy(LauncherIT::assertWhole);

        Path log = tmp.resolve("classes.log");
        assertSameAs(validated, run(cache, Map.of("TUNER_JAVA_OPTS", "-Xlog:class+load:file=" + log), "validate", PLAYBOOK));
        assertThat(Files.readString(log)).contains("dev.tuner.cli.ValidateCommand source: shared objects file");
        Files.delete(log);
        assertSameAs(version, run(cache, Map.of("TUNER_JAVA_OPTS", "-Xlog:class+load:file=" + log), "--version"));
        assertThat(Files.readString(log)).contains("dev.tuner.cli.Main source: shared objects file");

        // Another command's classes join the archive from its second run on.
        TunerExecutable.Result schema = run(Map.of("TUNER_CDS", "off"), "schema");
        assertThat(schema.exitCode()).as(schema.screen()).isZero();
        assertSameAs(schema, run(cache, "schema"));
        assertSameAs(schema, run(cache, "schema"));
        assertThat(files(cache, ".classlist")).hasSize(2);
        assertThat(archives(cache)).hasSize(1).allSatisfy(LauncherIT::assertWhole);
        Files.delete(log);
        assertSameAs(schema, run(cache, Map.of("TUNER_JAVA_OPTS", "-Xlog:class+load:file=" + log), "schema"));
        assertThat(Files.readString(log)).contains("dev.tuner.cli.SchemaCommand source: shared objects file",
                "dev.tuner.cli.Main source: shared objects file");
        assertSameAs(validated, run(cache, "validate", PLAYBOOK));
    }

    /** The JVM crashes (SIGBUS) on a truncated archive, so the launcher never hands it one. */
    @Test
    void anArchiveCutShortIsNotUsedButRebuilt() throws IOException {
        Path cache = tmp.resolve("cache");
        TunerExecutable.Result plain = run(Map.of("TUNER_CDS", "off"), "--version");
        buildArchive(cache, Map.of());
        Path archive = archives(cache).get(0);
        long whole = Files.size(archive);
        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
            f.setLength(whole / 2);
        }

        assertSameAs(plain, run(cache, "--version"));
        TunerExecutable.Result validated = run(Map.of("TUNER_CDS", "off"), "validate", PLAYBOOK);
        assertSameAs(validated, run(cache, "validate", PLAYBOOK));
        assertThat(archives(cache)).hasSize(1).allSatisfy(LauncherIT::assertWhole);
    }

    /** The JVM checks an archive's header against itself and the jar, and refuses a foreign or damaged one: silently. */
    @Test
    void anArchiveOfGarbageIsRefusedSilently() throws IOException {
        Path cache = tmp.resolve("cache");
        TunerExecutable.Result plain = run(Map.of("TUNER_CDS", "off"), "--version");
        buildArchive(cache, Map.of());
        Path archive = archives(cache).get(0);
        byte[] garbage = new byte[(int) Files.size(archive)];
        new Random(7).nextBytes(garbage);
        archive.toFile().setWritable(true);
        Files.write(archive, garbage);

        assertSameAs(plain, run(cache, "--version"));
    }

    @Test
    void aSecondJvmHasItsOwnArchiveAndRefusesTheFirstOnesSilently() throws IOException {
        Path other = secondJava();
        String otherVersion = releaseVersion(other);
        Path cache = tmp.resolve("cache");
        TunerExecutable.Result plain = run(Map.of("TUNER_CDS", "off"), "--version");
        buildArchive(cache, Map.of());
        Path first = archives(cache).get(0);

        Map<String, String> withOther = Map.of("TUNER_JAVA", other.toString());
        TunerExecutable.Result otherPlain = run(Map.of("TUNER_CDS", "off", "TUNER_JAVA", other.toString()), "--version");
        assertThat(otherPlain.out()).as(otherPlain.screen()).contains("Java " + otherVersion + "\n");
        buildArchive(cache, withOther);
        assertSameAs(otherPlain, run(cache, withOther, "--version"));
        List<Path> both = archives(cache);
        assertThat(both).hasSize(2).contains(first);

        // The first JVM's archive under the second's name, as if the second had been installed over the first.
        Path second = both.stream().filter(a -> !a.equals(first)).findFirst().orElseThrow();
        Path posing = second.resolveSibling(second.getFileName().toString().replaceFirst("-\\d+\\.jsa$", "-" + Files.size(first) + ".jsa"));
        Files.delete(second);
        Files.copy(first, posing);
        assertSameAs(otherPlain, run(cache, withOther, "--version"));
        assertSameAs(plain, run(cache, "--version"));
    }

    /** Runs that start together (slices of a fleet) build the archive once: the others go on without it meanwhile. */
    @Test
    void aBuildUnderWayIsNotRepeatedAndALockAKilledBuildLeftExpires() throws IOException {
        Path cache = tmp.resolve("cache");
        TunerExecutable.Result validated = run(Map.of("TUNER_CDS", "off"), "validate", PLAYBOOK);
        assertSameAs(validated, run(cache, "validate", PLAYBOOK));
        Path list = files(cache, ".classlist").get(0);
        Path lock = Files.createDirectory(cache.resolve(list.getFileName().toString().replaceFirst("validate\\.classlist$", "building")));

        assertSameAs(validated, run(cache, "validate", PLAYBOOK));
        assertThat(archives(cache)).isEmpty();
        assertThat(lock).exists();

        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofMinutes(11))));
        assertSameAs(validated, run(cache, "validate", PLAYBOOK));
        assertThat(lock).doesNotExist();
        assertSameAs(validated, run(cache, "validate", PLAYBOOK));
        assertThat(archives(cache)).hasSize(1).allSatisfy(LauncherIT::assertWhole);
        assertThat(lock).doesNotExist();
    }

    /** The cache directory may hold other things (the tests' vcsim build lives in the same default place). */
    @Test
    void buildingAnArchiveRemovesOnlyListsAndArchivesOtherJarsOrJvmsLeftAMonthAgo() throws IOException {
        Path cache = Files.createDirectory(tmp.resolve("cache"));
        Path oldArchive = aged(cache.resolve("1.2.3.4-5.6.7.8-4096.jsa"), 40);
        Path oldList = aged(cache.resolve("1.2.3.4-5.6.7.8-drift.classlist"), 40);
        Path recentArchive = aged(cache.resolve("9.9.9.9-5.6.7.8-4096.jsa"), 10);
        Path otherCache = aged(cache.resolve("vcsim-0123456789abcdef"), 40);

        run(cache, "validate", PLAYBOOK);
        assertThat(oldArchive).exists();
        run(cache, "validate", PLAYBOOK);
        assertThat(archives(cache)).hasSize(2);
        assertThat(oldArchive).doesNotExist();
        assertThat(oldList).doesNotExist();
        assertThat(recentArchive).exists();
        assertThat(otherCache).exists();
    }

    private static Path aged(Path file, int days) throws IOException {
        Files.writeString(file, "x".repeat(4096));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(days))));
        return file;
    }

    @Test
    void withoutAUsableCacheDirectoryARunGoesOnWithoutArchive() throws IOException {
        TunerExecutable.Result plain = run(Map.of("TUNER_CDS", "off"), "--version");

        TunerExecutable.Result validated = run(Map.of("TUNER_CDS", "off"), "validate", PLAYBOOK);
        Path file = Files.writeString(tmp.resolve("a-file"), "");
        assertSameAs(validated, run(file.resolve("cache"), "validate", PLAYBOOK));
        assertSameAs(validated, run(file.resolve("cache"), "validate", PLAYBOOK));

        Path empty = Files.createDirectory(tmp.resolve("home"));
        assertSameAs(plain, run(Map.of("HOME", "", "TUNER_CACHE_DIR", "", "XDG_CACHE_HOME", ""), "--version"));
        Path off = Files.createDirectory(tmp.resolve("off"));
        assertSameAs(validated, run(off, Map.of("TUNER_CDS", "off"), "validate", PLAYBOOK));
        assertThat(off).isEmptyDirectory();

        // The default place is in the home directory.
        assertSameAs(validated, run(Map.of("HOME", empty.toString()), "validate", PLAYBOOK));
        assertThat(files(empty.resolve(".cache/tuner"), ".classlist")).hasSize(1);

        // A cache directory someone else owns could hold an archive they made: it is not used.
        if ("root".equals(System.getProperty("user.name"))) {
            Path theirs = Files.createDirectory(tmp.resolve("theirs"));
            UserPrincipal nobody = theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(theirs, nobody);
            assertSameAs(validated, run(theirs, "validate", PLAYBOOK));
            assertSameAs(validated, run(theirs, "validate", PLAYBOOK));
            assertThat(theirs).isEmptyDirectory();
        }
    }

    /** A command's run that did its work lists its classes, the next builds the archive. */
    private void buildArchive(Path cache, Map<String, String> env) throws IOException {
        for (int i = 0; i < 2; i++) {
            TunerExecutable.Result r = run(cache, env, "validate", PLAYBOOK);
            assertThat(r.exitCode()).as(r.screen()).isZero();
        }
        assertThat(archives(cache)).isNotEmpty();
    }

    private TunerExecutable.Result run(Map<String, String> env, String... args) {
        Map<String, String> e = new HashMap<>(Map.of("HOME", tmp.toString()));
        e.putAll(env);
        return TunerExecutable.run(e, args);
    }

    private TunerExecutable.Result run(Path cache, String... args) {
        return run(cache, Map.of(), args);
    }

    private TunerExecutable.Result run(Path cache, Map<String, String> env, String... args) {
        Map<String, String> e = new HashMap<>(env);
        e.put("TUNER_CACHE_DIR", cache.toString());
        return run(e, args);
    }

    private static void assertSameAs(TunerExecutable.Result expected, TunerExecutable.Result actual) {
        assertThat(actual.exitCode()).as(actual.screen()).isEqualTo(expected.exitCode());
        assertThat(actual.err()).as(actual.screen()).isEqualTo(expected.err());
        assertThat(actual.out()).as(actual.screen()).isEqualTo(expected.out());
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** The archives with something in them (an empty one marks a failed build). */
    private static List<Path> archives(Path dir) throws IOException {
        return files(dir, ".jsa").stream().filter(p -> p.toFile().length() > 0).toList();
    }

    private static void assertWhole(Path archive) {
        Matcher m = ARCHIVE.matcher(archive.getFileName().toString());
        assertThat(m.matches()).as(archive.toString()).isTrue();
        assertThat(archive.toFile().length()).as(archive.toString()).isEqualTo(Long.parseLong(m.group(1)));
    }

    private static String projectVersion() throws IOException {
        Matcher v = Pattern.compile("<artifactId>tuner-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Repo.path("tuner/pom.xml")));
        assertThat(v.find()).isTrue();
        return v.group(1);
    }

    /** A JDK under /usr/lib/jvm other than the one running the tests (the machine has Temurin's besides Debian's). */
    private static Path secondJava() throws IOException {
        Path mine = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        Path jvms = Path.of("/usr/lib/jvm");
        Path found = null;
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> s = Files.list(jvms)) {
                for (Path d : s.sorted().toList()) {
                    Path java = d.resolve("bin/java");
                    if (Files.isExecutable(java) && Files.isRegularFile(d.resolve("release")) && !java.toRealPath().equals(mine)) {
                        found = java;
                        break;
                    }
                }
            }
        }
        Peers.require("a second JDK", found == null ? "no JDK under /usr/lib/jvm besides " + mine : null);
        return found;
    }

    /** JAVA_VERSION of the JDK's release file, what its java.version says. */
    private static String releaseVersion(Path java) throws IOException {
        Path release = java.getParent().getParent().resolve("release");
        Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"").matcher(Files.readString(release, StandardCharsets.UTF_8));
        assertThat(m.find()).as(release.toString()).isTrue();
        return m.group(1);
    }
}
