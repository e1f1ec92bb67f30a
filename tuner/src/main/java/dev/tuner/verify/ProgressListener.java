package dev.tuner.verify;

/** Receives progress of benchmark runs; called on the thread that runs them. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = e -> {};

    void progress(ProgressEvent event);
}
