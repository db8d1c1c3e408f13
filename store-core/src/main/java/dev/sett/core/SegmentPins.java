package dev.sett.core;

/**
 * How a reader gets hold of a segment: a plain read pins it for the duration of the read; a
 * snapshot already holds its pins and only looks them up.
 */
interface SegmentPins {
  /** The segment, safe to read until {@link #release}; null if it is gone (retry from the index). */
  Segment acquire(int id);

  void release(Segment segment);
}
