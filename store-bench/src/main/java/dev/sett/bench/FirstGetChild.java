package dev.sett.bench;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.core.Sett;
import java.nio.file.Path;

/**
 * A fresh JVM of {@link BigStoreMeasurement}: opens a store written by {@link BulkLoadChild}, reads
 * one key and checks its value, and writes {@code FIRST_GET <nanoseconds>} (from just before
 * {@code Sett.open} to the checked read) the moment it has; then closes the store cleanly (which
 * writes its closing hint) and writes {@code CLOSED <nanoseconds the close took>}.
 */
public final class FirstGetChild {
  private FirstGetChild() {
  }

  /** Arguments: store directory, the number of a key that must be present. */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long i = Long.parseLong(args[1]);
    long start = System.nanoTime();
    Store store = Sett.open(dir, StoreOptions.builder().syncMode(SyncMode.NONE).build());
    long first = store.readLong(BenchData.key(i), v -> v.size() == BulkLoadChild.VALUE_SIZE ? v.getLong(0) : -1, -2);
    long nanos = System.nanoTime() - start;
    if (first != i) {
      throw new IllegalStateException("key number " + i + " read back as " + first
          + " (-1: wrong value size, -2: absent)");
    }
    System.out.println("FIRST_GET " + nanos);
    System.out.flush();
    long closing = System.nanoTime();
    store.close();
    System.out.println("CLOSED " + (System.nanoTime() - closing));
  }
}
