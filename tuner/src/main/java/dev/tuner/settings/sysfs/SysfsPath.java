package dev.tuner.settings.sysfs;

import dev.tuner.settings.ApplyException;
import java.util.regex.Pattern;

/**
 * A task's key: a path relative to /sys, whose segments may hold the wildcards {@code *} and
 * {@code ?} ({@code block/sd*}{@code /queue/scheduler}). Only letters, digits and {@code _ . : , + @ -}
 * besides the wildcards are accepted, no empty, {@code .} or {@code ..} segment: a key can never
 * leave /sys or carry shell syntax, and it is a valid tmpfiles.d path as it is (no spaces, quotes,
 * backslashes or {@code %} specifiers).
 */
final class SysfsPath {
    static final String ROOT = "/sys/";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.:,+@*?-]+");
    private static final Pattern LITERAL_SEGMENT = Pattern.compile("[A-Za-z0-9_.:,+@-]+");
    private static final int MAX_LENGTH = 1024;

    private SysfsPath() {}

    /** Why the key is not a path relative to /sys, or null when it is one. */
    static String syntaxError(String key) {
        if (key == null || key.isEmpty()) return "empty path";
        if (key.startsWith(ROOT) || key.equals("/sys"))
            return "'" + key + "': paths are relative to /sys, write '" + key.substring(Math.min(key.length(), ROOT.length())) + "'";
        if (key.startsWith("/")) return "'" + key + "': paths are relative to /sys, e.g. kernel/mm/transparent_hugepage/enabled";
        if (key.length() > MAX_LENGTH) return "path longer than " + MAX_LENGTH + " characters";
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) return "'" + key + "': empty path segment (a '/' too many)";
            if (segment.equals(".") || segment.equals(".."))
                return "'" + key + "': '" + segment + "' is not allowed: a path stays under /sys as written";
            if (!SEGMENT.matcher(segment).matches())
                return "'" + key + "': only letters, digits, '_', '.', ':', ',', '+', '@', '-' and the wildcards '*' and '?' are allowed";
        }
        return null;
    }

    /** True when the key has wildcards, so it names every attribute it matches on the host. */
    static boolean isGlob(String key) {
        return key.indexOf('*') >= 0 || key.indexOf('?') >= 0;
    }

    /** The absolute path of a key. */
    static String absolute(String key) {
        return ROOT + key;
    }

    /**
     * Checks the absolute path of one attribute before a write: under /sys, no wildcards, the key's
     * character set. Plans can come back from a journal file, so apply checks again.
     */
    static String checkedAttribute(String path) {
        if (path == null || !path.startsWith(ROOT)) throw new ApplyException("not a path under /sys: " + path);
        String key = path.substring(ROOT.length());
        String err = syntaxError(key);
        if (err != null) throw new ApplyException(err);
        for (String segment : key.split("/"))
            if (!LITERAL_SEGMENT.matcher(segment).matches()) throw new ApplyException("not one attribute: " + path);
        return path;
    }
}
