package dev.sett.quickstart;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Store;
import dev.sett.api.Transaction;
import java.nio.ByteBuffer;

public final class Transfers {
  private Transfers() {
  }

  /** Moves {@code amount} between two 8-byte balances if {@code from} has it; safe from any thread. */
  public static boolean transfer(Store store, byte[] from, byte[] to, long amount) {
    return store.compute(txn -> {
      long available = balance(txn, from);
      if (available < amount) {
        return false; // nothing written; the commit has nothing to check
      }
      txn.put(from, bytes(available - amount));
      txn.put(to, bytes(balance(txn, to) + amount));
      return true; // committed only if neither balance changed since this attempt read it
    });
  }

  /** The sum of the balances under {@code prefix}, all read at one point in time. */
  public static long total(Store store, byte[] prefix) {
    try (Transaction txn = store.beginReadOnlyTransaction(); Cursor c = txn.scan(KeyRange.prefix(prefix))) {
      long sum = 0;
      while (c.next()) {
        sum += c.value().getLong(0);
      }
      return sum;
    }
  }

  private static long balance(Transaction txn, byte[] account) {
    ByteView v = txn.get(account);
    return v == null ? 0 : v.getLong(0);
  }

  private static byte[] bytes(long balance) {
    return ByteBuffer.allocate(8).putLong(balance).array();
  }
}
