package dev.tuner.verify.stats;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which direction of a metric is good: throughput wants higher, latency and run time want lower. */
public enum Better {
    HIGHER, LOWER;

    @JsonValue
    public String label() {
        return name().toLowerCase();
    }
}
