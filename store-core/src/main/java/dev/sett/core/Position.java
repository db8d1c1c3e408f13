package dev.sett.core;

/**
 * A record's location packed into a long: segment id in the high 32 bits, byte offset in the low 32.
 * Segment ids start at 1, so 0 never denotes a record and serves as "none".
 */
final class Position {
  static final long NONE = 0L;

  private Position() {
  }

  static long of(int segmentId, int offset) {
    return ((long) segmentId << 32) | (offset & 0xFFFF_FFFFL);
  }

  static int segment(long position) {
    return (int) (position >>> 32);
  }

  static int offset(long position) {
    return (int) position;
  }

  static String toString(long position) {
    return position == NONE ? "none" : segment(position) + ":" + offset(position);
  }
}
