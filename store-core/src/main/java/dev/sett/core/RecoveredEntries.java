package dev.sett.core;

import java.util.List;
import java.util.function.Consumer;

/**
 * Feeds what recovery found in a segment into the key index and the segment's expiry records: a
 * hint's entries straight from its bytes (or as the hint helper prepared them), or the entries a
 * scan found; and keeps the highest sequence number seen, from which the store numbers new writes.
 *
 * <p>Single-threaded: used by {@link Recovery} before the store is published.
 */
final class RecoveredEntries {
  private final KeyIndex index;
  private long lastSequence;

  RecoveredEntries(KeyIndex index) {
    this.index = index;
  }

  /** The highest sequence number applied so far. */
  long lastSequence() {
    return lastSequence;
  }

  /**
   * Applies a hint's entries straight from its bytes, or what the helper prepared from them when
   * {@code prepared} is this segment's. A key-ordered (version 2) hint feeds the segment's run of
   * ordered keys as it goes, so an open allocates nothing per key and sorts nothing; keys are
   * copied once, into that run.
   */
  void apply(Segment segment, HintFile.Contents hint, HintPrefetch.Prepared prepared) {
    HintPrefetch.Prepared p = prepared;
    if (p != null && p.id == segment.id() && p.loaded.contents() == hint && p.build != null) {
      p.applyLiveness(segment);
      index.segmentRecovered(p.id, p.build, p.sorted, p.run);
      lastSequence = Math.max(lastSequence, p.maxSequence);
      return;
    }
    apply(segment, hint.keyOrdered(), hint.count(), hint::forEach);
  }

  /** Applies entries a scan found (or a torn tail kept), in record order. */
  void apply(Segment segment, List<HintFile.Entry> entries) {
    HintEntries packed = HintEntries.of(entries);
    apply(segment, false, packed.size(), packed::forEach);
  }

  /** Indexes {@code count} entries that {@code entries} hands to a visitor, the segment's whole set. */
  private void apply(Segment segment, boolean keyOrdered, int count, Consumer<HintFile.EntryVisitor> entries) {
    int id = segment.id();
    index.beginSegment(id, keyOrdered, count);
    entries.accept((offset, bodyLength, sequence, type, flags, buf, keyOffset, keyLength, expiresAt) -> {
      // The key is used where it lies, in the hint's bytes: hashed, compared by the index, copied
      // by the ordered keys.
      int size = SegmentFormat.recordSize(keyLength, bodyLength);
      index.recover(buf, keyOffset, keyLength, KeyHash.hash64(buf, keyOffset, keyLength), Position.of(id, offset),
          sequence, type, size);
      if (expiresAt != SegmentFormat.NEVER) {
        segment.liveness().expires(offset, expiresAt, size);
      }
      if (sequence > lastSequence) {
        lastSequence = sequence;
      }
    });
    index.segmentRecovered();
  }
}
