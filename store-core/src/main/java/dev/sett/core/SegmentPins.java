package dev.sett.core;

/**
 * How a reader gets hold of a segment: a plain read pins it for the duration of the read; a
 * snapshot already holds its pins and only looks them up.
 */
interface SegmentPins {
  /**
   * The sequence number to read at. A plain read asks again each time a lookup restarts (the
   * version it was after may have been compacted away meanwhile, and a newer one is then visible);
   * a snapshot always answers its own.
   */
  long readSequence();

  /**
   * The time to read at, in milliseconds since the epoch: a record that expires at or before it is
   * absent. A plain read asks the clock, a snapshot answers the time it was taken. Asked only when a
   * lookup meets an expiring record.
   */
  long readTime();

  /** The segment, safe to read until {@link #release}; null if it is gone (retry from the index). */
  Segment acquire(int id);

  void release(Segment segment);

  /**
   * Throws {@link dev.sett.StoreClosedException} if the reader's store (or snapshot) is closed.
   * Asked when a probe ends in a released index: the index of a closing store empties only after
   * the store is marked closed, so this turns the race into the closed error, never a wrong miss.
   */
  void checkOpen();
}
