package dev.tuner.lock;

import dev.tuner.diag.TunerException;
import dev.tuner.transport.StopRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The lock of a journal directory on this machine: one run that changes hosts (apply, rollback,
 * bench) per journal at a time. It is a POSIX lock on {@code DIR/lock}, which the kernel drops
 * when the process ends however it ends, so it is never stale; the file names the holder.
 *
 * <p>The name is a courtesy to whoever waits: the kernel's lock is what excludes. So a name that
 * cannot be written (a full disk) does not keep the lock from being taken; the file is left empty,
 * and a run that finds it held names no holder. A rollback must be able to run on a full disk.
 *
 * <p>Closing any descriptor of a file drops every POSIX lock the process holds on it, so runs in
 * one JVM (tests) first look in a table of the locks this JVM holds and never open the file
 * while one of them holds it.
 */
public final class JournalLock implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(500);
    /** Lock files this JVM holds, and by whom. Guarded by itself; taking and dropping happen under it. */
    private static final Map<Path, LockOwner> HELD_HERE = new HashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private JournalLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code journalDir}, waiting up to {@code wait} for the run that holds it.
     *
     * @throws LockedException when another run still holds it
     */
    public static JournalLock take(Path journalDir, LockOwner me, Duration wait, StopRequest stop) {
        Path file = journalDir.toAbsolutePath().normalize().resolve("lock");
        try {
            Files.createDirectories(journalDir);
        } catch (IOException e) {
            throw new TunerException("cannot create journal directory " + journalDir + ": " + e.getMessage());
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            LockOwner holder;
            synchronized (HELD_HERE) {
                holder = HELD_HERE.get(file);
                if (holder == null) {
                    JournalLock taken = tryTake(file, me);
                    if (taken != null) return taken;
                    holder = readHolder(file);
                }
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) throw new LockedException("journal " + journalDir, holder, wait, null);
            stop.check();
            try {
                Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, remaining / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.check();
                throw new TunerException("interrupted while waiting for the lock of journal " + journalDir);
            }
        }
    }

    /** Null when another process holds the file. Call with HELD_HERE held. */
    private static JournalLock tryTake(Path file, LockOwner me) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                return null;
            }
            JournalLock taken = new JournalLock(file, ch, l);
            taken.name(me);
            HELD_HERE.put(file, me);
            return taken;
        } catch (OverlappingFileLockException e) {
            // Not listed as held here, yet held by this JVM: cannot happen while every lock goes through this class.
            throw new IllegalStateException("journal lock " + file + " is held in this JVM outside " + JournalLock.class.getSimpleName(), e);
        } catch (IOException e) {
            try {
                if (ch != null) ch.close();
            } catch (IOException ignored) {
                // the error that matters is the one below
            }
            throw new TunerException("cannot lock journal " + file.getParent() + ": " + e.getMessage());
        }
    }

    /** The holder named in the file another process locks; null when it is empty (the holder is just starting or ending). */
    private static LockOwner readHolder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.isBlank() ? null : LockOwner.parse(text);
        } catch (IOException e) {
            return null;
        }
    }

    /** Names another holder (the same process, once its run has an id). */
    public void update(LockOwner owner) {
        synchronized (HELD_HERE) {
            name(owner);
            HELD_HERE.put(file, owner);
        }
    }

    /** Writes the holder's name into the file; one that cannot be written (a full disk) leaves it empty rather than cut short. */
    private void name(LockOwner owner) {
        try {
            channel.truncate(0);
            ByteBuffer text = ByteBuffer.wrap(owner.text().getBytes(StandardCharsets.UTF_8));
            while (text.hasRemaining()) channel.write(text, text.position());
            channel.force(false);
        } catch (IOException e) {
            try {
                channel.truncate(0);
            } catch (IOException ignored) {
                // the lock stands; a name cut short reads as a holder with fields missing
            }
        }
    }

    @Override
    public void close() {
        synchronized (HELD_HERE) {
            try {
                // Emptied first, so a run that finds the next holder's lock before it wrote its name does not blame this one.
                channel.truncate(0);
                lock.release();
                channel.close();
            } catch (IOException e) {
                // The process ending drops the lock anyway.
            } finally {
                HELD_HERE.remove(file);
            }
        }
    }
}
