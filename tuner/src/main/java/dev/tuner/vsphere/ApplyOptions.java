package dev.tuner.vsphere;

import java.time.Duration;

/**
 * How far {@link VmxSettings#apply} may go.
 *
 * @param allowPowerCycle may shut the VM down for changes that need it (play/task {@code power_cycle: allowed}
 *                        or {@code --allow-power-cycle})
 * @param force           when the guest does not shut down in time, power the VM off hard
 * @param snapshot        take a snapshot before reconfiguring; removed after success, kept after a failure
 * @param shutdownTimeout how long to wait for a clean guest shutdown
 * @param taskTimeout     how long to wait for each vSphere task
 * @param progress        told about each task's progress
 */
public record ApplyOptions(boolean allowPowerCycle, boolean force, boolean snapshot, Duration shutdownTimeout,
                           Duration taskTimeout, TaskOptions.Progress progress) {
    public ApplyOptions {
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

    public static ApplyOptions defaults() {
        return new ApplyOptions(false, false, false, null, null, null);
    }

    public ApplyOptions withAllowPowerCycle(boolean b) {
        return new ApplyOptions(b, force, snapshot, shutdownTimeout, taskTimeout, progress);
    }

    public ApplyOptions withForce(boolean b) {
        return new ApplyOptions(allowPowerCycle, b, snapshot, shutdownTimeout, taskTimeout, progress);
    }

    public ApplyOptions withSnapshot(boolean b) {
        return new ApplyOptions(allowPowerCycle, force, b, shutdownTimeout, taskTimeout, progress);
    }

    public ApplyOptions withShutdownTimeout(Duration d) {
        return new ApplyOptions(allowPowerCycle, force, snapshot, d, taskTimeout, progress);
    }

    public ApplyOptions withProgress(TaskOptions.Progress p) {
        return new ApplyOptions(allowPowerCycle, force, snapshot, shutdownTimeout, taskTimeout, p);
    }

    TaskOptions tasks() {
        return new TaskOptions(taskTimeout, progress);
    }
}
