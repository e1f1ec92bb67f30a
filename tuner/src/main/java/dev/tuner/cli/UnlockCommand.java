package dev.tuner.cli;

import dev.tuner.diag.TunerException;
import dev.tuner.inventory.Host;
import dev.tuner.inventory.Inventory;
import dev.tuner.lock.HostLock;
import dev.tuner.lock.LockOwner;
import dev.tuner.run.Target;
import dev.tuner.transport.Connection;
import dev.tuner.verify.BenchmarkProcesses;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "unlock",
        mixinStandardHelpOptions = true,
        description = {"Clear the lock a run that ended badly (killed, crashed, lost its connection) left on hosts.",
                "A lock whose holder ran on this machine is cleared only once that process is gone; one held from another",
                "machine, which cannot be checked from here, only with --force. Benchmark processes the dead run left",
                "running on the host are stopped too."},
        footer = {"", "Examples:",
                "  tuner unlock db01 db02 -i prod",
                "  tuner unlock 'web*' -i prod --force",
                "", "Exit codes: 0 every host is unlocked, 1 a lock was kept (its holder runs or cannot be checked) or a host was unreachable."},
        sortOptions = false)
final class UnlockCommand implements Callable<Integer> {
    @Parameters(paramLabel = "HOST", arity = "1..*", description = "Hosts or host patterns of the inventory.")
    List<String> patterns;

    @Option(names = "--force", description = "Also clear a lock held from another machine (check there first that its run has ended).")
    boolean force;

    @Option(names = "--accept-new-host-keys", description = "Trust and record host keys not yet known.")
    boolean acceptNewHostKeys;

    @Mixin InventoryOptions inventory;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Inventory inv = inventory.load();
        List<Host> hosts = inv.select(String.join(":", patterns), inventory.limit);
        if (hosts.isEmpty()) throw new TunerException("'" + String.join(" ", patterns) + "' selects no host of the inventory");
        PrintWriter out = spec.commandLine().getOut();
        Function<Target, Connection> opener = ConnectionOpener.create(acceptNewHostKeys);
        boolean allClear = true;
        for (Host h : hosts) {
            String verdict;
            try (Connection c = opener.apply(PlaybookRun.target(h))) {
                Outcome o = unlock(c, HostLock.dirOf(h.vars()));
                verdict = o.message();
                allClear &= o.clear();
            } catch (TunerException e) {
                verdict = "not cleared: " + e.getMessage();
                allClear = false;
            }
            out.println(h.name() + ": " + verdict);
            out.flush();
        }
        return allClear ? ExitCodes.OK : ExitCodes.ERROR;
    }

    private record Outcome(boolean clear, String message) {}

    private Outcome unlock(Connection c, String dir) {
        Optional<HostLock.Held> found = HostLock.read(c, dir);
        if (found.isEmpty()) return new Outcome(true, "not locked");
        HostLock.Held held = found.get();
        LockOwner holder = held.owner();
        String who;
        if (holder == null) {
            if (!force) {
                return new Outcome(false, "locked (" + dir + ") without an owner record: a run may have died while taking it, or one is"
                        + " taking it right now; not cleared (repeat with --force once no run can be starting)");
            }
            who = "the lock without an owner record (--force)";
        } else {
            Optional<Boolean> alive = holder.alive();
            if (alive.isPresent() && alive.get()) {
                return new Outcome(false, "held by " + holder.describe() + ", which is still running on this machine; not cleared"
                        + " (wait for it, or stop it and repeat)");
            }
            if (alive.isEmpty() && !force) {
                return new Outcome(false, "held by " + holder.describe() + ", on another machine: whether pid " + holder.pid()
                        + " still runs can be checked only on " + holder.machine() + "; not cleared (check there, then repeat with --force)");
            }
            who = alive.isEmpty() ? "the lock of " + holder.describe() + " (--force: its machine could not be checked from here)"
                    : "the stale lock of " + holder.describe() + " (that process is gone)";
        }
        HostLock.Removal r = HostLock.remove(c, dir, held.text());
        if (r == HostLock.Removal.OTHER_HOLDER) {
            return new Outcome(false, "the lock changed while it was checked (another run took it); not cleared");
        }
        StringBuilder sb = new StringBuilder(r == HostLock.Removal.ABSENT ? "not locked (the lock went away while it was checked)" : "cleared " + who);
        for (String p : BenchmarkProcesses.stopLeftovers(c)) sb.append("\n  stopped a leftover benchmark process: ").append(p);
        if (holder != null && !holder.run().isEmpty() && (holder.command().equals("apply") || holder.command().equals("rollback"))) {
            sb.append("\n  run ").append(holder.run()).append(" may have left this host half-changed: 'tuner history' shows it; 'tuner rollback ")
                    .append(holder.run()).append(' ').append(GuardedRun.inventoryArgs(inventory))
                    .append("' restores what it changed (with that run's --journal DIR if it used another journal than the default)");
        }
        return new Outcome(true, sb.toString());
    }
}
