package dev.sett.api;

/**
 * What a store remembers about how its data was written, so that opening it with other options
 * never has to guess: recorded in the store's marker file by every writable open, read with
 * {@code Sett.facts(dir)}. Immutable and thread-safe.
 *
 * <p>Opening a store with smaller options than these is allowed: the smaller limits restrict new
 * writes only. Every existing key can still be read or deleted (reads accept keys up to
 * {@link #maxKeySize()}), and compaction copies every existing record, rolling to a segment large
 * enough for one bigger than the new segment size.
 *
 * @param segmentSize  the segment size of the last writable open, which new segments got (each
 *     segment file records its own size in its header)
 * @param maxKeySize   the largest key limit any writable open had: no key on disk is longer
 * @param maxValueSize the largest value limit any writable open had: no value on disk is longer
 */
public record StoreFacts(int segmentSize, int maxKeySize, int maxValueSize) {
}
