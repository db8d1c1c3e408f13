package dev.sett.core;

import java.time.Duration;

/** When a put expires, from its ttl and the store's default. Stateless. */
final class Expiries {
  private Expiries() {
  }

  /**
   * When a put written at {@code now} with {@code ttl} (null: {@code defaultTtl}, which may be null
   * too) expires, or {@link SegmentFormat#NEVER}. A ttl past what a long of milliseconds holds never
   * expires; part of a millisecond counts as a whole one, so that no positive ttl expires as it is
   * written.
   */
  static long at(Duration ttl, Duration defaultTtl, long now) {
    Duration t = ttl != null ? ttl : defaultTtl;
    return t == null ? SegmentFormat.NEVER : after(t, now);
  }

  private static long after(Duration t, long now) {
    long ms;
    try {
      ms = t.toMillis();
      Duration rest = t.minusMillis(ms);
      if (!rest.isZero() && !rest.isNegative()) {
        ms++;
      }
    } catch (ArithmeticException e) {
      return SegmentFormat.NEVER;
    }
    long at = now + ms;
    return at < now || at == SegmentFormat.NEVER ? SegmentFormat.NEVER : at;
  }
}
