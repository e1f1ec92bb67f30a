package dev.tuner.yaml;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as playbooks and benchmark files write them: seconds as a number, or with a unit (ms, s, m, h). */
public final class Durations {
    /** How messages describe the accepted forms. */
    public static final String FORMS = "a duration like 90, 90s, 5m or 1h";
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Durations() {}

    /** The positive duration {@code text} writes, or null when it writes none. */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) return null;
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long millis = (long) (n * switch (unit) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 1000;
        });
        return millis > 0 ? Duration.ofMillis(millis) : null;
    }
}
