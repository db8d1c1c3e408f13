package dev.sett.ycsb;

import java.nio.file.Path;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * An open RocksDB database with the native objects it needs, configured as store-bench's
 * {@code Peers.Rocks} configures it, so that YCSB measures the same RocksDB as store-bench: default
 * options, plus compression off and a 512 MiB LRU block cache with a 10-bit Bloom filter (what a
 * user tuning for reads would set; store-bench's data set fits in it). Writes go through the
 * write-ahead log, synced only when {@code sync} is set: by default a put is in the page cache when
 * it returns, the same guarantee as Sett's {@code SyncMode.NONE}.
 *
 * <p><b>Lifetime.</b> From the constructor to {@link #close()}, which syncs the write-ahead log (so
 * that a closed database is on disk, as a closed Sett store is) and frees the native objects in
 * dependency order. <b>Threading:</b> {@link #db()} and {@link #writeOptions()} may be used from
 * any thread while it is open; open and close once (see {@link SharedStores}).
 */
final class RocksDbStore implements AutoCloseable {
  /** store-bench's block cache size. */
  static final long BLOCK_CACHE = 512L << 20;
  /** store-bench's Bloom filter bits per key. */
  static final double BLOOM_BITS_PER_KEY = 10;

  static {
    RocksDB.loadLibrary();
  }

  private final LRUCache cache;
  private final BloomFilter bloom;
  private final Options options;
  private final WriteOptions writeOptions;
  private final RocksDB db;

  /**
   * Opens (creating if missing) the database in {@code dir}.
   *
   * @param dir an existing directory
   * @param sync whether every write syncs the write-ahead log before it returns
   * @throws RocksDBException if RocksDB cannot open it
   */
  RocksDbStore(Path dir, boolean sync) throws RocksDBException {
    cache = new LRUCache(BLOCK_CACHE);
    bloom = new BloomFilter(BLOOM_BITS_PER_KEY);
    options = new Options()
        .setCreateIfMissing(true)
        .setCompressionType(CompressionType.NO_COMPRESSION)
        .setBottommostCompressionType(CompressionType.NO_COMPRESSION)
        .setTableFormatConfig(new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setFilterPolicy(bloom));
    writeOptions = new WriteOptions().setSync(sync).setDisableWAL(false);
    try {
      db = RocksDB.open(options, dir.toString());
    } catch (RocksDBException | RuntimeException e) {
      closeOptions();
      throw e;
    }
  }

  /** {@return the database} */
  RocksDB db() {
    return db;
  }

  /** {@return the options every write uses (WAL on, sync as configured)} */
  WriteOptions writeOptions() {
    return writeOptions;
  }

  @Override
  public void close() throws RocksDBException {
    try {
      db.syncWal();
      db.closeE();
    } finally {
      closeOptions();
    }
  }

  private void closeOptions() {
    writeOptions.close();
    options.close();
    bloom.close();
    cache.close();
  }
}
