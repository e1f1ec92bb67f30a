package dev.tuner.verify;

/** A setup or cleanup command and where it runs: on the measured host, or on the peer (say, the iperf3 server). */
public record Step(String run, Where on) {
    public enum Where { TARGET, PEER }
}
