package dev.tuner.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** --lock-timeout of the commands that change hosts (apply, rollback, bench): how long to wait for a host or journal another run holds. */
public class LockOptions {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(s|m|h)?");

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
            description = "How long to wait for a host or the journal while another run holds it: 30s, 5m, 1h"
                    + " (default: 0, refuse at once, naming the holder).")
    Duration lockTimeout = Duration.ZERO;

    /** 90, 90s, 5m, 1h. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Matcher m = DURATION.matcher(value.strip());
            if (!m.matches()) throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (30, 30s, 5m, 1h)");
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        }
    }
}
