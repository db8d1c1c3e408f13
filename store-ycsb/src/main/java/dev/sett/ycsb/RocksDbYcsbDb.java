package dev.sett.ycsb;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteOptions;
import site.ycsb.ByteIterator;
import site.ycsb.DBException;

/**
 * YCSB binding for RocksDB ({@code -db dev.sett.ycsb.RocksDbYcsbDb}), configured as store-bench
 * configures it ({@link RocksDbStore}).
 *
 * <p><b>Properties.</b> {@value #DIR} (required): the database's directory, created if missing.
 * {@value #SYNC}: {@code false} (default) or {@code true}, whether each write syncs the write-ahead
 * log; {@code false} is the same guarantee as Sett's default {@code sett.sync=NONE}.
 *
 * <p><b>How it reads.</b> A point read is {@code RocksDB.get(byte[])}, whose fresh array the codec
 * decodes without copying the values again; a scan is an iterator bounded by the table's key range
 * ({@code ReadOptions.setIterateUpperBound}), so RocksDB itself stops at the end of the table. A
 * write is one {@code put} with the store's write options.
 *
 * <p><b>Lifetime and threading</b> as {@link StoreYcsbDb}: one instance per YCSB client thread;
 * the database is shared by every instance on the same directory in this JVM and closed by the
 * last {@code cleanup()}.
 */
public final class RocksDbYcsbDb extends StoreYcsbDb {
  /** The database's directory; required. */
  public static final String DIR = "rocksdb.dir";
  /** Whether each write syncs the write-ahead log: {@code false} (default) or {@code true}. */
  public static final String SYNC = "rocksdb.sync";

  private static final SharedStores<RocksDbStore> STORES = new SharedStores<>("RocksDB");

  private SharedStores.Lease<RocksDbStore> lease;
  private RocksDB db;
  private WriteOptions writeOptions;

  /** Made by YCSB, one per client thread; {@link #init()} opens or shares the database. */
  public RocksDbYcsbDb() {
  }

  @Override
  protected void open(Properties properties) throws DBException {
    Path dir = BindingProperties.directory(properties, DIR);
    boolean sync = BindingProperties.flag(properties, SYNC, false);
    lease = STORES.acquire(dir, d -> new RocksDbStore(d, sync));
    db = lease.store().db();
    writeOptions = lease.store().writeOptions();
  }

  @Override
  protected void close() throws DBException {
    if (lease != null) {
      db = null;
      writeOptions = null;
      SharedStores.Lease<RocksDbStore> l = lease;
      lease = null;
      l.release();
    }
  }

  @Override
  protected boolean readRecord(byte[] key, Set<String> fields, Map<String, ByteIterator> result)
      throws RocksDBException {
    byte[] record = db.get(key);
    if (record == null) {
      return false;
    }
    RecordCodec.decode(record, ByteAccess.ARRAY, fields, result);
    return true;
  }

  @Override
  protected void writeRecord(byte[] key, byte[] record) throws RocksDBException {
    db.put(writeOptions, key, record);
  }

  @Override
  protected void deleteRecord(byte[] key) throws RocksDBException {
    db.delete(writeOptions, key);
  }

  @Override
  protected void scanRecords(byte[] from, byte[] to, int count, Set<String> fields,
      Vector<HashMap<String, ByteIterator>> result) throws RocksDBException {
    // The bound must outlive the iterator: close order is the reverse of this list.
    try (Slice upper = new Slice(to);
         ReadOptions bounded = new ReadOptions().setIterateUpperBound(upper);
         RocksIterator it = db.newIterator(bounded)) {
      int n = 0;
      for (it.seek(from); it.isValid(); it.next()) {
        HashMap<String, ByteIterator> record = new HashMap<>();
        RecordCodec.decode(it.value(), ByteAccess.ARRAY, fields, record);
        result.add(record);
        if (++n == count) {
          return; // without stepping past the last record wanted
        }
      }
      it.status(); // isValid() is false at the end of the range and on an error: tell them apart
    }
  }

  /**
   * How many instances share the database in {@code dir}; for tests.
   *
   * @param dir the database's directory
   * @return the count; 0 once the database is closed
   */
  static int sharers(Path dir) {
    return STORES.references(dir);
  }
}
