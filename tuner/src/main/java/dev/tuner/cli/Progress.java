package dev.tuner.cli;

import dev.tuner.run.HostResult;
import dev.tuner.run.RunListener;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live progress on a terminal: one line rewritten in place with hosts done and what runs where.
 * Silent when stderr is not a terminal, so logs and pipes stay clean.
 */
final class Progress implements RunListener {
    private final PrintStream err;
    private final boolean live;
    private final AtomicInteger done = new AtomicInteger();
    private volatile int total;
    private final long start = System.nanoTime();

    Progress(PrintStream err, boolean live) {
        this.err = err;
        this.live = live;
    }

    static Progress forTerminal() {
        return new Progress(System.err, System.console() != null);
    }

    @Override
    public void playStarted(String play, int hosts) {
        done.set(0);
        total = hosts;
    }

    @Override
    public synchronized void hostStarted(String host, String what) {
        if (!live) return;
        long s = (System.nanoTime() - start) / 1_000_000_000L;
        String line = String.format("[%d/%d hosts, %ds] %s: %s", done.get(), total, s, host, what);
        if (line.length() > 100) line = line.substring(0, 100);
        err.print("\r\u001b[2K" + line);
        err.flush();
    }

    @Override
    public synchronized void hostFinished(HostResult result) {
        done.incrementAndGet();
        if (live) {
            err.print("\r\u001b[2K");
            err.flush();
        }
    }

    synchronized void clear() {
        if (live) {
            err.print("\r\u001b[2K");
            err.flush();
        }
    }
}
