package dev.tuner.settings;

/**
 * What a kind says about itself, in one place: the task key naming it, one line for help texts,
 * the schema and the kinds table, and which benchmarks show its changes.
 */
public record KindInfo(String name, String summary, DefaultBenchmarks benchmarks) {}
