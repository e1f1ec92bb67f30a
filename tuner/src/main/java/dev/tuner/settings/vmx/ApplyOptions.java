package dev.tuner.settings.vmx;

import dev.tuner.vsphere.TaskOptions;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * How far {@link VmxReconfigure#apply} may go.
 *
 * @param powerCycleAllowed    by key: may the VM be shut down for this change when it needs that
 * @param howToAllowPowerCycle what the refusal tells the user to do ("allow it with power_cycle: allowed ...")
 * @param force                when the guest does not shut down in time, power the VM off hard
 * @param snapshot             take a snapshot before reconfiguring; removed after success, kept after a failure
 * @param shutdownTimeout      how long to wait for a clean guest shutdown
 * @param taskTimeout          how long to wait for each vSphere task
 * @param progress             told about each task's progress
 */
record ApplyOptions(Predicate<String> powerCycleAllowed, String howToAllowPowerCycle, boolean force, boolean snapshot,
                    Duration shutdownTimeout, Duration taskTimeout, TaskOptions.Progress progress) {
    static final String ALLOW_IN_PLAYBOOK = "allow it with power_cycle: allowed (play or task) or --allow-power-cycle";

    ApplyOptions {
        if (powerCycleAllowed == null) {
            powerCycleAllowed = key -> false;
        }
        if (howToAllowPowerCycle == null) {
            howToAllowPowerCycle = ALLOW_IN_PLAYBOOK;
        }
        if (shutdownTimeout == null) {
            shutdownTimeout = Duration.ofMinutes(5);
        }
        if (taskTimeout == null) {
            taskTimeout = Duration.ofMinutes(10);
        }
        if (progress == null) {
            progress = (t, p) -> { };
        }
    }

    /** No power cycle, no force, no snapshot, default timeouts. */
    static ApplyOptions defaults() {
        return new ApplyOptions(null, null, false, false, null, null, null);
    }

    ApplyOptions withAllowPowerCycle(boolean b) {
        return withPowerCycle(key -> b, howToAllowPowerCycle);
    }

    ApplyOptions withPowerCycle(Predicate<String> allowedByKey, String howToAllow) {
        return new ApplyOptions(allowedByKey, howToAllow, force, snapshot, shutdownTimeout, taskTimeout, progress);
    }

    ApplyOptions withForce(boolean b) {
        return new ApplyOptions(powerCycleAllowed, howToAllowPowerCycle, b, snapshot, shutdownTimeout, taskTimeout, progress);
    }

    ApplyOptions withSnapshot(boolean b) {
        return new ApplyOptions(powerCycleAllowed, howToAllowPowerCycle, force, b, shutdownTimeout, taskTimeout, progress);
    }

    ApplyOptions withShutdownTimeout(Duration d) {
        return new ApplyOptions(powerCycleAllowed, howToAllowPowerCycle, force, snapshot, d, taskTimeout, progress);
    }

    ApplyOptions withProgress(TaskOptions.Progress p) {
        return new ApplyOptions(powerCycleAllowed, howToAllowPowerCycle, force, snapshot, shutdownTimeout, taskTimeout, p);
    }

    TaskOptions tasks() {
        return new TaskOptions(taskTimeout, progress);
    }
}
