package dev.sett.bench;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The peer data set's records (key {@link BenchData#key key(i)}, value
 * {@link BenchData#peerValue peerValue(i, 100)}) for {@code records} key numbers, loaded in a
 * random key order, in batches or transactions of {@value PeerData#LOAD_BATCH}, into a new store of
 * each kind ({@link PeerScanBenchmark}, {@link PeerAppendBenchmark}). Unlike {@link PeerData}'s
 * key-order load, this leaves Sett's records in an order unrelated to key order, as a store that
 * was written by an application usually is. Each load checks a sample of keys before returning.
 */
final class ShuffledData {
  private ShuffledData() {
  }

  private static final int CHECKED = 1000;

  /** The key numbers {@code 0 ... records - 1} in the order they are loaded (the same every run). */
  static int[] order(int records) {
    return BulkLoadChild.shuffledKeyNumbers(records, new SplittableRandom(0x5A1EL));
  }

  /** A Sett store (default options: {@code SyncMode.NONE}) holding the records, synced. */
  static Store loadSett(int records) throws IOException {
    Store store = BenchData.openSett(StoreOptions.defaults());
    try {
      WriteBatch batch = new WriteBatch();
      for (int i : order(records)) {
        batch.put(BenchData.key(i), BenchData.peerValue(i, PeerData.VALUE_SIZE));
        if (batch.size() == PeerData.LOAD_BATCH) {
          store.write(batch);
          batch.clear();
        }
      }
      store.write(batch);
      store.sync();
      check("Sett", records, i -> store.readLong(BenchData.key(i), BenchData::consume, Long.MIN_VALUE));
      return store;
    } catch (IOException | RuntimeException | Error e) {
      BenchData.closeAndDelete(store);
      throw e;
    }
  }

  /** lmdbjava holding the records ({@code MDB_NOSYNC}, as {@link Peers.Lmdb} configures it). */
  static Peers.Lmdb loadLmdb(int records) throws IOException {
    int[] order = order(records);
    return Peers.Lmdb.load(records, n -> order[n], (store, reader) -> check(store, records, reader));
  }

  /** RocksDB holding the records, flushed and compacted (as {@link Peers.Rocks#load} leaves it). */
  static Peers.Rocks loadRocks(int records) throws IOException {
    int[] order = order(records);
    return Peers.Rocks.load(records, n -> order[n], (store, reader) -> check(store, records, reader));
  }

  /** Checks {@value #CHECKED} random keys against the values written. */
  private static void check(String store, int records, PeerData.Reader reader) throws IOException {
    SplittableRandom random = new SplittableRandom(9);
    try {
      for (int n = 0; n < CHECKED; n++) {
        int i = random.nextInt(records);
        long expected = BenchData.consume(BenchData.peerValue(i, PeerData.VALUE_SIZE));
        long got = reader.read(i);
        if (got != expected) {
          throw new IllegalStateException(store + " returned a different value for key number " + i);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(store + " failed while its data set was checked: " + e, e);
    }
  }
}
