/**
 * Sett's Micrometer binding: {@link dev.sett.micrometer.SettMetrics} publishes a store's stats to a
 * {@code MeterRegistry}. Needs {@code io.micrometer:micrometer-core} on the class path, which
 * applications that have a registry already bring.
 */
package dev.sett.micrometer;
