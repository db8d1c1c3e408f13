package dev.sett.core;

/**
 * Test pins that read everything written (at the newest sequence, and at time 0, so that nothing
 * has expired) and hold nothing: a test gives {@link #acquire} its segments, and may make
 * {@link #checkOpen} throw.
 */
abstract class LatestPins implements SegmentPins {
  @Override
  public long readSequence() {
    return Long.MAX_VALUE;
  }

  @Override
  public long readTime() {
    return 0;
  }

  @Override
  public void release(Segment segment) {
  }

  @Override
  public void checkOpen() {
  }
}
