package dev.sett.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.DirectBufferProxy;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The stores a user would pick instead of Sett, opened and loaded with {@link PeerData}'s data set,
 * each configured as this comparison needs. One holder class per store; each loads the data set in
 * key order into a fresh temporary directory, checks a sample and reads every key once
 * ({@link PeerData#check}), and deletes its directory when closed.
 *
 * <h2>How durability is matched</h2>
 * Sett's writes in these benchmarks use {@link dev.sett.api.SyncMode#NONE}: a put is in the page
 * cache (written into the mapped segment) when it returns, so it survives the process being killed
 * but not a power loss. Each peer is set to the same point:
 * <ul>
 *   <li><b>lmdbjava</b>: {@code MDB_NOSYNC}. A commit writes the transaction's pages to the file
 *       (page cache) but does not {@code fdatasync}: the same guarantee as Sett's {@code NONE}.</li>
 *   <li><b>RocksDB</b>: write-ahead log on, {@code WriteOptions.sync = false}. A put is appended to
 *       the WAL and handed to the OS ({@code write}) before it returns, without {@code fsync}: the
 *       same guarantee. (The memtable is flushed to SST files in the background.)</li>
 *   <li><b>H2 MVStore</b>: nothing matches exactly. A put changes the in-memory map only; the
 *       background auto-commit (default every second, or when 1 MiB of changes piled up) writes
 *       a chunk to the file. So its puts are <i>less</i> durable than the others' (a process kill
 *       loses up to a second); the stricter alternative, {@code commit()} per put, writes a whole
 *       chunk per put and is not what a user would do. Noted in the report.</li>
 * </ul>
 *
 * <h2>Read-side settings</h2>
 * The data set is page-cache resident for every store. RocksDB and MVStore also read through caches
 * of their own; both are given one large enough for the whole data set (RocksDB: a 512 MiB LRU
 * block cache and a 10-bit Bloom filter, after a full compaction; MVStore: a 512 MiB page cache),
 * as a user tuning for reads would, so that they are measured at their best rather than at the cost
 * of a {@code pread} (about 1.3 µs on this machine kind) per cache miss. Compression is off in
 * RocksDB (and off by default in MVStore).
 */
final class Peers {
  private Peers() {
  }

  // ---- lmdbjava ------------------------------------------------------------------------------------

  /**
   * lmdbjava 0.9.3 with Agrona's {@link DirectBufferProxy#PROXY_DB}: values come back as
   * {@link DirectBuffer}s pointing into the map (zero-copy), valid until their transaction ends.
   */
  static final class Lmdb implements AutoCloseable {
    /** Set explicitly (its default is 10 MiB); sparse, so it costs no disk. About 10x the data. */
    static final long MAP_SIZE = 2L << 30;

    final Path dir;
    final Env<DirectBuffer> env;
    final Dbi<DirectBuffer> db;
    private final List<Txn<DirectBuffer>> readTxns = new ArrayList<>();

    Lmdb() throws IOException {
      dir = Files.createTempDirectory("lmdb-bench-");
      // MDB_NOTLS ties a read transaction's reader slot to the transaction instead of the thread,
      // so close() can end the benchmark threads' read transactions from whichever thread JMH
      // tears down on; it does not change the read path.
      env = Env.create(DirectBufferProxy.PROXY_DB)
          .setMapSize(MAP_SIZE)
          .setMaxDbs(1)
          .setMaxReaders(16)
          .open(dir.toFile(), EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOTLS);
      db = env.openDbi("bench", DbiFlags.MDB_CREATE);
    }

    /**
     * A read transaction for one benchmark thread to reuse for all its reads; {@link #close()} ends
     * it. (JMH tears down a benchmark-wide state before the threads' own states, and ending a
     * transaction after its environment closed crashes the JVM, so the environment owns them.)
     */
    synchronized Txn<DirectBuffer> readTxn() {
      Txn<DirectBuffer> txn = env.txnRead();
      readTxns.add(txn);
      return txn;
    }

    /** A new store holding the data set. */
    static Lmdb load() throws IOException {
      return load(PeerData.RECORDS, i -> i, PeerData::check);
    }

    /**
     * A new store holding records {@code recordAt(0)} .. {@code recordAt(records - 1)}, written in
     * that order in transactions of {@link PeerData#LOAD_BATCH}, then checked by {@code check}.
     */
    static Lmdb load(int records, java.util.function.IntUnaryOperator recordAt, Rocks.LoadCheck check)
        throws IOException {
      Lmdb lmdb = new Lmdb();
      try {
        UnsafeBuffer key = new UnsafeBuffer(ByteBuffer.allocateDirect(BenchData.KEY_SIZE));
        UnsafeBuffer value = new UnsafeBuffer(ByteBuffer.allocateDirect(PeerData.VALUE_SIZE));
        for (int start = 0; start < records; start += PeerData.LOAD_BATCH) {
          try (Txn<DirectBuffer> txn = lmdb.env.txnWrite()) {
            for (int n = start; n < Math.min(records, start + PeerData.LOAD_BATCH); n++) {
              int i = recordAt.applyAsInt(n);
              key.putBytes(0, BenchData.key(i));
              value.putBytes(0, BenchData.peerValue(i, PeerData.VALUE_SIZE));
              lmdb.db.put(txn, key, value);
            }
            txn.commit();
          }
        }
        try (Txn<DirectBuffer> txn = lmdb.env.txnRead()) {
          check.check("lmdbjava", i -> {
            key.putBytes(0, BenchData.key(i));
            DirectBuffer v = lmdb.db.get(txn, key);
            return v == null ? Long.MIN_VALUE : BenchData.consume(v);
          });
        }
        return lmdb;
      } catch (IOException | RuntimeException | Error e) {
        lmdb.close();
        throw e;
      }
    }

    @Override
    public synchronized void close() throws IOException {
      try {
        for (Txn<DirectBuffer> txn : readTxns) {
          txn.close();
        }
        readTxns.clear();
        db.close();
        env.close();
      } finally {
        BenchData.deleteRecursively(dir);
      }
    }
  }

  // ---- RocksDB -------------------------------------------------------------------------------------

  /** RocksDB JNI 10.10.1.1 (linux64). */
  static final class Rocks implements AutoCloseable {
    static final long BLOCK_CACHE = 512L << 20;

    static {
      RocksDB.loadLibrary();
    }

    final Path dir;
    private final LRUCache cache;
    private final BloomFilter bloom;
    private final Options options;
    final RocksDB db;
    /** WAL on, no sync: see the class comment of {@link Peers}. */
    final WriteOptions writeOptions;
    /** Defaults (checksums verified, as {@code get(byte[])} does). */
    final ReadOptions readOptions;

    Rocks() throws IOException {
      dir = Files.createTempDirectory("rocksdb-bench-");
      cache = new LRUCache(BLOCK_CACHE);
      bloom = new BloomFilter(10);
      options = new Options()
          .setCreateIfMissing(true)
          .setCompressionType(CompressionType.NO_COMPRESSION)
          .setBottommostCompressionType(CompressionType.NO_COMPRESSION)
          .setTableFormatConfig(new BlockBasedTableConfig()
              .setBlockCache(cache)
              .setFilterPolicy(bloom));
      writeOptions = new WriteOptions().setSync(false).setDisableWAL(false);
      readOptions = new ReadOptions();
      try {
        db = RocksDB.open(options, dir.toString());
      } catch (RocksDBException e) {
        closeOptions();
        throw new IOException("cannot open RocksDB in " + dir, e);
      }
    }

    /** A new store holding the data set, flushed and compacted into SST files. */
    static Rocks load() throws IOException {
      return load(PeerData.RECORDS, i -> i, PeerData::check);
    }

    /** Checks a loaded store through {@code reader}. */
    interface LoadCheck {
      void check(String store, PeerData.Reader reader) throws IOException;
    }

    /**
     * A new store holding records {@code recordAt(0)} .. {@code recordAt(records - 1)}, written in
     * that order in batches, flushed and compacted into SST files, then checked by {@code check}.
     */
    static Rocks load(int records, java.util.function.IntUnaryOperator recordAt, LoadCheck check)
        throws IOException {
      Rocks rocks = new Rocks();
      try {
        for (int start = 0; start < records; start += PeerData.LOAD_BATCH) {
          try (WriteBatch batch = new WriteBatch()) {
            for (int n = start; n < Math.min(records, start + PeerData.LOAD_BATCH); n++) {
              int i = recordAt.applyAsInt(n);
              batch.put(BenchData.key(i), BenchData.peerValue(i, PeerData.VALUE_SIZE));
            }
            rocks.db.write(rocks.writeOptions, batch);
          }
        }
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
          rocks.db.flush(flush);
        }
        rocks.db.compactRange();
        check.check("RocksDB", i -> {
          byte[] v = rocks.db.get(BenchData.key(i));
          return v == null ? Long.MIN_VALUE : BenchData.consume(v);
        });
        return rocks;
      } catch (RocksDBException e) {
        rocks.close();
        throw new IOException("cannot load RocksDB in " + rocks.dir, e);
      } catch (IOException | RuntimeException | Error e) {
        rocks.close();
        throw e;
      }
    }

    private void closeOptions() {
      readOptions.close();
      writeOptions.close();
      options.close();
      bloom.close();
      cache.close();
    }

    @Override
    public void close() throws IOException {
      try {
        // Native handles in dependency order: the database before the options and cache it uses.
        if (db != null) {
          db.close();
        }
        closeOptions();
      } finally {
        BenchData.deleteRecursively(dir);
      }
    }
  }

  // ---- H2 MVStore ----------------------------------------------------------------------------------

  /** H2 MVStore 2.5.252, byte[] keys and values. */
  static final class MvStore implements AutoCloseable {
    /** Page cache in MiB: the whole data set fits. */
    static final int CACHE_MB = 512;

    final Path dir;
    final MVStore store;
    final MVMap<byte[], byte[]> map;

    MvStore() throws IOException {
      dir = Files.createTempDirectory("mvstore-bench-");
      store = new MVStore.Builder()
          .fileName(dir.resolve("bench.mv").toString())
          .cacheSize(CACHE_MB)
          .open();
      map = store.openMap("bench", new MVMap.Builder<byte[], byte[]>()
          .keyType(ByteArrayDataType.INSTANCE)
          .valueType(ByteArrayDataType.INSTANCE));
    }

    /** A new store holding the data set, committed. */
    static MvStore load() throws IOException {
      MvStore mv = new MvStore();
      try {
        for (int i = 0; i < PeerData.RECORDS; i++) {
          mv.map.put(BenchData.key(i), BenchData.peerValue(i, PeerData.VALUE_SIZE));
        }
        mv.store.commit();
        PeerData.check("MVStore", i -> {
          byte[] v = mv.map.get(BenchData.key(i));
          return v == null ? Long.MIN_VALUE : BenchData.consume(v);
        });
        return mv;
      } catch (IOException | RuntimeException | Error e) {
        mv.close();
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      try {
        // The directory is deleted next: no point in writing the last changes out first.
        store.closeImmediately();
      } finally {
        BenchData.deleteRecursively(dir);
      }
    }
  }
}
