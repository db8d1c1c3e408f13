package dev.sett.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reference counts that cannot come back from zero: whoever drops a count to zero releases what it
 * guards (unmaps a segment, closes a reader's generation), so a reference taken after that would
 * reach a released thing.
 *
 * <p>Stateless and thread-safe.
 */
final class RefCounts {
  private RefCounts() {
  }

  /** Adds one to {@code count} unless it is already zero (or below); returns whether it did. */
  static boolean incrementIfLive(AtomicInteger count) {
    for (;;) {
      int n = count.get();
      if (n <= 0) {
        return false;
      }
      if (count.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }
}
