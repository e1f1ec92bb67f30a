package dev.tuner.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Instants as report formats want them. */
final class Timestamps {
    private static final DateTimeFormatter JUNIT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /** JUnit's {@code timestamp}: seconds, no zone (the Ant schema allows none), so always UTC. */
    static String junit(Instant t) {
        return JUNIT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
