package dev.tuner.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The name of the machine writing a report, as the kernel has it: no DNS lookup that could hang a scheduled check. */
final class Hostname {
    private Hostname() {}

    static String local() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) return name;
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no /proc: the name JUnit readers expect when the host is not known.
        }
        return "localhost";
    }
}
