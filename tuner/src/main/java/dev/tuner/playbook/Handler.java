package dev.tuner.playbook;

import dev.tuner.diag.Location;
import java.util.List;

/**
 * A handler: run once per host at the end of a play when a task that notified it changed
 * something. {@code service} handlers restart or reload a service.
 */
public record Handler(String name, List<String> listen, String service, String state, Location at) {
    /** True if a {@code notify:} entry names this handler directly or through {@code listen}. */
    public boolean answers(String notification) {
        return notification.equals(name) || listen.contains(notification);
    }
}
