package dev.sett.ycsb;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.core.Sett;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import site.ycsb.ByteIterator;
import site.ycsb.DBException;

/**
 * YCSB binding for Sett ({@code -db dev.sett.ycsb.SettYcsbDb}).
 *
 * <p><b>Properties.</b> {@value #DIR} (required): the store's directory, created if missing.
 * {@value #SYNC}: {@code NONE} (default) or {@code ALWAYS}, the store's {@link SyncMode}. {@code NONE}
 * matches the peers' defaults here (a write is in the page cache when it returns: it survives the
 * process, not a power loss); {@code ALWAYS} makes every write durable before it returns, with
 * concurrent writers sharing one {@code fsync}. Every other option is Sett's default
 * ({@link StoreOptions#defaults()}), as store-bench measures it.
 *
 * <p><b>How it reads.</b> Sett's fast path is the zero-copy one, and YCSB needs copies anyway, so
 * records are decoded straight from the mapped bytes into the arrays YCSB gets: a point read
 * through {@link Store#read(byte[], dev.sett.api.ValueReader)} (a view valid during the callback,
 * no snapshot), a scan through a {@link Snapshot}'s {@link Cursor} over the table's key range. A
 * write is one {@link Store#put}; the store's close (by the last {@code cleanup()}) syncs.
 *
 * <p><b>Lifetime and threading</b> as {@link StoreYcsbDb}: one instance per YCSB client thread;
 * the {@link Store} is shared by every instance on the same directory in this JVM and closed by the
 * last {@code cleanup()}.
 */
public final class SettYcsbDb extends StoreYcsbDb {
  /** The store's directory; required. */
  public static final String DIR = "sett.dir";
  /** The store's {@link SyncMode}: {@code NONE} (default) or {@code ALWAYS}. */
  public static final String SYNC = "sett.sync";

  private static final SharedStores<Store> STORES = new SharedStores<>("Sett");

  /** Reads a record in place from a view, copying only the field values YCSB keeps. */
  private static final ByteAccess<ByteView> VIEWS = new ByteAccess<>() {
    @Override
    public int size(ByteView bytes) {
      return bytes.size();
    }

    @Override
    public int getInt(ByteView bytes, int index) {
      return bytes.getInt(index);
    }

    @Override
    public void copyTo(ByteView bytes, int index, byte[] dst, int dstOffset, int length) {
      bytes.copyTo(index, dst, dstOffset, length);
    }
  };

  private SharedStores.Lease<Store> lease;
  private Store store;

  /** Made by YCSB, one per client thread; {@link #init()} opens or shares the store. */
  public SettYcsbDb() {
  }

  @Override
  protected void open(Properties properties) throws DBException {
    Path dir = BindingProperties.directory(properties, DIR);
    StoreOptions options = StoreOptions.builder()
        .syncMode(BindingProperties.choice(properties, SYNC, SyncMode.class, SyncMode.NONE))
        .build();
    lease = STORES.acquire(dir, d -> Sett.open(d, options));
    store = lease.store();
  }

  @Override
  protected void close() throws DBException {
    if (lease != null) {
      store = null;
      SharedStores.Lease<Store> l = lease;
      lease = null;
      l.release();
    }
  }

  @Override
  protected boolean readRecord(byte[] key, Set<String> fields, Map<String, ByteIterator> result) {
    return store.read(key, view -> {
      RecordCodec.decode(view, VIEWS, fields, result);
      return Boolean.TRUE;
    }) != null;
  }

  @Override
  protected void writeRecord(byte[] key, byte[] record) {
    store.put(key, record);
  }

  @Override
  protected void deleteRecord(byte[] key) {
    store.delete(key);
  }

  @Override
  protected void scanRecords(byte[] from, byte[] to, int count, Set<String> fields,
      Vector<HashMap<String, ByteIterator>> result) {
    try (Snapshot snapshot = store.snapshot(); Cursor cursor = snapshot.scan(KeyRange.between(from, to))) {
      for (int n = 0; n < count && cursor.next(); n++) {
        HashMap<String, ByteIterator> record = new HashMap<>();
        RecordCodec.decode(cursor.value(), VIEWS, fields, record);
        result.add(record);
      }
    }
  }

  /**
   * How many instances share the store in {@code dir}; for tests.
   *
   * @param dir the store's directory
   * @return the count; 0 once the store is closed
   */
  static int sharers(Path dir) {
    return STORES.references(dir);
  }
}
