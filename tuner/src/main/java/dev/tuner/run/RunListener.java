package dev.tuner.run;

/** Progress of a run, for live output on a terminal. All methods may be called from several threads. */
public interface RunListener {
    default void playStarted(String play, int hosts) {}

    default void hostStarted(String host, String what) {}

    default void hostFinished(HostResult result) {}

    RunListener NONE = new RunListener() {};
}
