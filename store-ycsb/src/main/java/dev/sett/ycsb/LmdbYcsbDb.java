package dev.sett.ycsb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;
import site.ycsb.ByteIterator;
import site.ycsb.DBException;

/**
 * YCSB binding for lmdbjava ({@code -db dev.sett.ycsb.LmdbYcsbDb}), configured as store-bench
 * configures it ({@link LmdbStore}).
 *
 * <p><b>Properties.</b> {@value #DIR} (required): the environment's directory, created if missing.
 * {@value #MAP_SIZE}: the map size, the most the database can hold, in bytes or with a suffix
 * {@code k}, {@code m}, {@code g}, {@code t} (default {@code 64g}; address space, not disk: see
 * {@link LmdbStore#DEFAULT_MAP_SIZE}). {@value #SYNC}: {@code false} (default) or {@code true},
 * whether each commit syncs; {@code false} ({@code MDB_NOSYNC}) is the same guarantee as Sett's
 * default {@code sett.sync=NONE}.
 *
 * <p><b>How it reads.</b> LMDB's fast path for repeated reads: each instance keeps one read
 * transaction for its life, renewed before each read or scan and reset after it ({@code
 * mdb_txn_renew}/{@code mdb_txn_reset}: no allocation, and a reset transaction pins no old pages).
 * Records are decoded straight from the map through Agrona buffers into the arrays YCSB gets. A
 * scan is a cursor from the start key ({@code MDB_SET_RANGE}) that stops at the end of the table's
 * key range. Each write (insert, the write of an update, delete) is its own write transaction,
 * committed before the call returns.
 *
 * <p><b>Lifetime and threading</b> as {@link StoreYcsbDb}: one instance per YCSB client thread (its
 * read transaction and buffers are its own); the environment is shared by every instance on the
 * same directory in this JVM and closed by the last {@code cleanup()}.
 */
public final class LmdbYcsbDb extends StoreYcsbDb {
  /** The environment's directory; required. */
  public static final String DIR = "lmdb.dir";
  /** The map size, such as {@code 64g} (the default). */
  public static final String MAP_SIZE = "lmdb.mapsize";
  /** Whether each commit syncs: {@code false} (default) or {@code true}. */
  public static final String SYNC = "lmdb.sync";

  private static final SharedStores<LmdbStore> STORES = new SharedStores<>("lmdbjava");

  /** Reads a record in place from the map, copying only the field values YCSB keeps. */
  private static final ByteAccess<DirectBuffer> BUFFERS = new ByteAccess<>() {
    @Override
    public int size(DirectBuffer bytes) {
      return bytes.capacity();
    }

    @Override
    public int getInt(DirectBuffer bytes, int index) {
      return bytes.getInt(index, ByteOrder.BIG_ENDIAN);
    }

    @Override
    public void copyTo(DirectBuffer bytes, int index, byte[] dst, int dstOffset, int length) {
      bytes.getBytes(index, dst, dstOffset, length);
    }
  };

  private SharedStores.Lease<LmdbStore> lease;
  private Env<DirectBuffer> env;
  private Dbi<DirectBuffer> db;
  /** Reset between reads; renewed for each (see the class comment). */
  private Txn<DirectBuffer> readTxn;
  /** Direct memory the key and value buffers point into; LMDB reads them in place. */
  private ByteBuffer keyMemory;
  private ByteBuffer valueMemory;
  private final UnsafeBuffer key = new UnsafeBuffer();
  private final UnsafeBuffer value = new UnsafeBuffer();

  /** Made by YCSB, one per client thread; {@link #init()} opens or shares the environment. */
  public LmdbYcsbDb() {
  }

  @Override
  protected void open(Properties properties) throws DBException {
    Path dir = BindingProperties.directory(properties, DIR);
    long mapSize = BindingProperties.size(properties, MAP_SIZE, LmdbStore.DEFAULT_MAP_SIZE);
    boolean sync = BindingProperties.flag(properties, SYNC, false);
    lease = STORES.acquire(dir, d -> new LmdbStore(d, mapSize, sync));
    env = lease.store().env();
    db = lease.store().db();
    keyMemory = ByteBuffer.allocateDirect(env.getMaxKeySize());
    valueMemory = ByteBuffer.allocateDirect(4096);
    try {
      readTxn = env.txnRead();
      readTxn.reset();
    } catch (RuntimeException e) {
      close();
      throw new DBException("cannot begin a read transaction in lmdbjava: " + e, e);
    }
  }

  @Override
  protected void close() throws DBException {
    if (lease == null) {
      return;
    }
    try {
      if (readTxn != null) {
        // lmdbjava 0.9.3's Txn.close() aborts only an active transaction: a reset one would keep
        // its reader slot until the environment closes. Renewing first makes close() abort it.
        readTxn.renew();
        readTxn.close();
      }
    } finally {
      readTxn = null;
      env = null;
      db = null;
      SharedStores.Lease<LmdbStore> l = lease;
      lease = null;
      l.release();
    }
  }

  @Override
  protected boolean readRecord(byte[] storedKey, Set<String> fields, Map<String, ByteIterator> result) {
    readTxn.renew();
    try {
      DirectBuffer record = db.get(readTxn, key(storedKey));
      if (record == null) {
        return false;
      }
      RecordCodec.decode(record, BUFFERS, fields, result);
      return true;
    } finally {
      readTxn.reset();
    }
  }

  @Override
  protected void writeRecord(byte[] storedKey, byte[] record) {
    try (Txn<DirectBuffer> txn = env.txnWrite()) {
      db.put(txn, key(storedKey), value(record));
      txn.commit();
    }
  }

  @Override
  protected void deleteRecord(byte[] storedKey) {
    try (Txn<DirectBuffer> txn = env.txnWrite()) {
      db.delete(txn, key(storedKey));
      txn.commit();
    }
  }

  @Override
  protected void scanRecords(byte[] from, byte[] to, int count, Set<String> fields,
      Vector<HashMap<String, ByteIterator>> result) {
    readTxn.renew();
    try (Cursor<DirectBuffer> cursor = db.openCursor(readTxn)) {
      int n = 0;
      for (boolean found = cursor.get(key(from), GetOp.MDB_SET_RANGE); found; found = cursor.next()) {
        if (!below(cursor.key(), to)) {
          return; // past the table's keys
        }
        HashMap<String, ByteIterator> record = new HashMap<>();
        RecordCodec.decode(cursor.val(), BUFFERS, fields, record);
        result.add(record);
        if (++n == count) {
          return;
        }
      }
    } finally {
      readTxn.reset(); // after the cursor closed: try-with-resources closes it before this runs
    }
  }

  /** The key buffer, holding {@code bytes}. */
  private DirectBuffer key(byte[] bytes) {
    if (bytes.length > keyMemory.capacity()) {
      throw new IllegalArgumentException("key of " + bytes.length + " bytes is longer than LMDB's limit of "
          + keyMemory.capacity());
    }
    key.wrap(keyMemory, 0, bytes.length);
    key.putBytes(0, bytes);
    return key;
  }

  /** The value buffer, holding {@code bytes}; its memory grows to the largest record written. */
  private DirectBuffer value(byte[] bytes) {
    if (bytes.length > valueMemory.capacity()) {
      valueMemory = ByteBuffer.allocateDirect(Math.max(bytes.length, 2 * valueMemory.capacity()));
    }
    value.wrap(valueMemory, 0, bytes.length);
    value.putBytes(0, bytes);
    return value;
  }

  /** Whether {@code key} sorts before {@code bound} in unsigned byte order, as LMDB sorts keys. */
  private static boolean below(DirectBuffer key, byte[] bound) {
    int n = Math.min(key.capacity(), bound.length);
    for (int i = 0; i < n; i++) {
      int c = Byte.compareUnsigned(key.getByte(i), bound[i]);
      if (c != 0) {
        return c < 0;
      }
    }
    return key.capacity() < bound.length;
  }

  /**
   * How many instances share the environment in {@code dir}; for tests.
   *
   * @param dir the environment's directory
   * @return the count; 0 once the environment is closed
   */
  static int sharers(Path dir) {
    return STORES.references(dir);
  }
}
