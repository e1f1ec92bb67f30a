package dev.tuner.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Templates shipped in the repository's templates/ directory, packaged inside the executable. */
public final class BuiltinTemplates {
    /** Read once: a plan renders them for every host. */
    private static final Map<String, String> TEXTS = new ConcurrentHashMap<>();

    private BuiltinTemplates() {}

    public static String text(String name) {
        return TEXTS.computeIfAbsent(name, BuiltinTemplates::load);
    }

    private static String load(String name) {
        try (InputStream in = BuiltinTemplates.class.getResourceAsStream("/templates/" + name)) {
            if (in == null) throw new IllegalStateException("built-in template " + name + " is missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
