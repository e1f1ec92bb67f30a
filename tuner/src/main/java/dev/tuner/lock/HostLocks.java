package dev.tuner.lock;

import dev.tuner.diag.TunerException;
import dev.tuner.transport.Connection;
import dev.tuner.transport.StopRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host locks of one run that changes hosts: taken when the run first reaches a host (waiting
 * up to {@code wait} for another run to let go), kept while the run works on it, released at its
 * end. Thread-safe: hosts are worked on in parallel.
 */
public final class HostLocks {
    /** Told when a host is locked by someone else and the run waits for it. */
    public interface Waiting {
        void waiting(String host, LockOwner holder);
    }

    private static final Duration POLL = Duration.ofSeconds(1);

    private final LockOwner owner;
    private final Duration wait;
    private final StopRequest stop;
    private final Waiting waiting;
    private final String inventoryArgs;
    private final String takeOver;
    private final Map<String, String> held = new ConcurrentHashMap<>();
    private final List<String> left = new ArrayList<>();
    private final List<String> takenOver = new ArrayList<>();

    /** @param inventoryArgs how messages name the inventory in the commands they suggest ("-i prod") */
    public HostLocks(LockOwner owner, Duration wait, StopRequest stop, Waiting waiting, String inventoryArgs) {
        this(owner, wait, stop, waiting, inventoryArgs, null);
    }

    /**
     * @param takeOver a run whose locks this one may take over once that run has ended: the run a
     *                 rollback undoes, which may have left locks on hosts it could not reach at its end
     */
    public HostLocks(LockOwner owner, Duration wait, StopRequest stop, Waiting waiting, String inventoryArgs, String takeOver) {
        this.owner = owner;
        this.wait = wait;
        this.stop = stop;
        this.waiting = waiting;
        this.inventoryArgs = inventoryArgs;
        this.takeOver = takeOver;
    }

    /**
     * Takes (or confirms, after a reconnect) this run's lock on the host {@code c} reaches.
     *
     * @throws LockedException when another run holds it after waiting
     * @throws StopRequest.Stopped when a stop is requested while waiting
     */
    public void take(Connection c, Map<String, Object> hostVars) {
        String host = c.hostName();
        String dir = HostLock.dirOf(hostVars);
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        while (true) {
            HostLock.Attempt a = HostLock.tryTake(c, dir, owner);
            if (a.taken()) {
                held.put(host, dir);
                return;
            }
            if (mayTakeOver(a.holder()) && HostLock.remove(c, dir, a.text()) == HostLock.Removal.REMOVED) {
                record(takenOver, host + ": took over the lock left by " + a.holder().describe() + " (that run has ended)");
                continue;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new LockedException("host " + host, a.holder(), wait,
                        "check the host, then clear it with 'tuner unlock " + host + " " + inventoryArgs + "'");
            }
            stop.check();
            if (!told) {
                waiting.waiting(host, a.holder());
                told = true;
            }
            try {
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, remaining / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.check();
                throw new TunerException("interrupted while waiting for the lock of host " + host);
            }
        }
    }

    /** Whether a lock is {@link #takeOver}'s and that run has ended: its process is gone, or it was this process, which runs one thing at a time. */
    private boolean mayTakeOver(LockOwner holder) {
        if (takeOver == null || holder == null || !takeOver.equals(holder.run())) return false;
        if (holder.onThisMachine() && holder.pid() == ProcessHandle.current().pid()) return true;
        return holder.alive().equals(Optional.of(false));
    }

    /** Whether this run holds the lock of {@code host}. */
    public boolean holds(String host) {
        return held.containsKey(host);
    }

    /**
     * Releases this run's lock on the host {@code c} reaches. A lock someone cleared and another
     * run took meanwhile is left as it is, and noted in {@link #left()}.
     *
     * @throws RuntimeException when the host could not be asked: the lock still counts as held,
     *                          so the caller may try again on another connection, or give up with {@link #notReleased}
     */
    public void release(Connection c) {
        String host = c.hostName();
        String dir = held.get(host);
        if (dir == null) return;
        HostLock.Removal r = HostLock.remove(c, dir, owner.text());
        held.remove(host);
        if (r == HostLock.Removal.OTHER_HOLDER) {
            record(left, host + ": the lock " + dir + " names another run now (it was cleared while this run held it); left as it is");
        }
    }

    /** Notes that the lock of a host this run holds could not be released because the host cannot be reached. */
    public void notReleased(String host, String why) {
        String dir = held.remove(host);
        if (dir == null) return;
        record(left, host + ": the lock " + dir + " could not be released (" + why + "): once the host answers, 'tuner unlock " + host
                + " " + inventoryArgs + "' clears it");
    }

    /** The hosts whose lock this run holds now, sorted. */
    public List<String> held() {
        return held.keySet().stream().sorted().toList();
    }

    /** Locks this run could not release, one line each. */
    public synchronized List<String> left() {
        return List.copyOf(left);
    }

    /** Locks of an ended run this one took over, one line each. */
    public synchronized List<String> takenOver() {
        return List.copyOf(takenOver);
    }

    private synchronized void record(List<String> to, String line) {
        to.add(line);
    }
}
