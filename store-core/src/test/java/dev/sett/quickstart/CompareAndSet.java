package dev.sett.quickstart;

import dev.sett.api.Store;
import java.nio.ByteBuffer;

public final class CompareAndSet {
  private CompareAndSet() {
  }

  /** Adds one to the 8-byte counter at {@code key} (0 if absent); safe from any number of threads. */
  public static long increment(Store store, byte[] key) {
    for (;;) {
      byte[] current = store.get(key);
      if (current == null) {
        if (store.putIfAbsent(key, ByteBuffer.allocate(8).putLong(1).array())) {
          return 1;
        }
        continue; // another thread created it first
      }
      long next = ByteBuffer.wrap(current).getLong() + 1;
      if (store.replace(key, current, ByteBuffer.allocate(8).putLong(next).array())) {
        return next; // no other write came between the get and the replace
      }
    }
  }
}
