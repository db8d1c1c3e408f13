package dev.sett.bench;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The data set of the peer comparison (issue 4, shared/notes/peers.md), shared by
 * {@link PeerReadBenchmark}, {@link PeerWriteBenchmark} and {@link ThreadedReadBenchmark}:
 * {@value #RECORDS} records, keys {@code "user"} + 12 digits (16 bytes), {@value #VALUE_SIZE}-byte
 * values that are a function of the key number ({@link BenchData#peerValue}), loaded in key order
 * into a fresh store in a temporary directory, which stays in the page cache (24 GiB of memory,
 * about 150 MB of data per store).
 *
 * <p>Every store is read the same way: a thread draws a uniformly random key number, writes the key
 * into its own reused 16-byte array ({@link RandomKeys}: no allocation, no cache miss for the key
 * itself), hands it to the store (copying it into a direct buffer first where the store's API wants
 * one, as a user of that API would), and consumes the value with {@link BenchData#consume}.
 */
final class PeerData {
  private PeerData() {
  }

  static final int RECORDS = 1_000_000;
  static final int VALUE_SIZE = 100;
  /** Records per batch or transaction while loading. */
  static final int LOAD_BATCH = 1000;
  /** Keys checked against {@link BenchData#peerValue} after a load. */
  static final int CHECKED = 2000;

  /** A Sett store with the data set, written with {@link dev.sett.api.SyncMode#NONE} and synced. */
  static Store loadSett() throws IOException {
    Store store = BenchData.openSett(StoreOptions.defaults());
    try {
      WriteBatch batch = new WriteBatch();
      for (int i = 0; i < RECORDS; i++) {
        batch.put(BenchData.key(i), BenchData.peerValue(i, VALUE_SIZE));
        if (batch.size() == LOAD_BATCH) {
          store.write(batch);
          batch.clear();
        }
      }
      store.write(batch);
      store.sync();
      check("Sett", i -> store.readLong(BenchData.key(i), BenchData::consume, Long.MIN_VALUE));
      return store;
    } catch (IOException | RuntimeException | Error e) {
      BenchData.closeAndDelete(store);
      throw e;
    }
  }

  /** What a store's read of key number {@code i} made of the value (via {@link BenchData#consume}). */
  interface Reader {
    long read(int i) throws Exception;
  }

  /**
   * Checks a sample of keys against the values written, then reads every key once, so that every
   * store starts measuring with the same warm page cache (and, for RocksDB and MVStore, a filled
   * block or page cache).
   */
  static void check(String store, Reader reader) throws IOException {
    try {
      checkAndWarm(store, reader);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(store + " failed while its data set was checked: " + e, e);
    }
  }

  private static void checkAndWarm(String store, Reader reader) throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    for (int n = 0; n < CHECKED; n++) {
      int i = random.nextInt(RECORDS);
      long expected = BenchData.consume(BenchData.peerValue(i, VALUE_SIZE));
      long got = reader.read(i);
      if (got != expected) {
        throw new IllegalStateException(store + " returned a different value for key number " + i
            + ": consume() gave " + got + ", expected " + expected);
      }
    }
    for (int i = 0; i < RECORDS; i++) {
      reader.read(i);
    }
  }

  /** A thread's stream of uniformly random keys of the data set, in one reused array. */
  static final class RandomKeys {
    private final SplittableRandom random;
    private final byte[] key = new byte[BenchData.KEY_SIZE];

    RandomKeys(int thread) {
      random = new SplittableRandom(0xC0FFEEL + thread);
    }

    /** The next key; the array is overwritten by the following call. */
    byte[] next() {
      BenchData.writeKey(random.nextInt(RECORDS), key);
      return key;
    }
  }
}
