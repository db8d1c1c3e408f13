package dev.sett.ycsb;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * What the three bindings share, so that they differ only in how they reach their store: the key
 * format ({@link RecordKeys}), the value format ({@link RecordCodec}), the meaning of each YCSB
 * operation and the mapping of failures to {@link Status}. A subclass supplies five primitives
 * (open and close, read one record, write one, delete one, scan a key range) on top of its store's
 * plain API.
 *
 * <ul>
 *   <li>{@code read}: {@link Status#NOT_FOUND} for a missing key; with a field set, only those
 *       fields.</li>
 *   <li>{@code insert}: writes the record whole, replacing any record under the key.</li>
 *   <li>{@code update}: read, merge, write: reads the record, replaces the given fields, writes it
 *       back whole ({@link Status#NOT_FOUND} if there is no record). <b>Not atomic across
 *       threads</b>: two threads updating one key at once can each write back a merge that lacks
 *       the other's fields, exactly as in YCSB's own RocksDB binding. YCSB's workloads verify reads
 *       against values that do not depend on who wrote last, so this does not show in them.</li>
 *   <li>{@code delete}: removes the key; deleting a missing key is {@link Status#OK}, as none of
 *       the three stores reports it.</li>
 *   <li>{@code scan}: up to {@code recordcount} records in ascending key order from the start key
 *       (inclusive), never past the end of the table's key range.</li>
 * </ul>
 * Any exception from the store is logged and becomes {@link Status#ERROR}.
 *
 * <p><b>Lifetime and threading.</b> YCSB makes one instance per client thread and calls every
 * method of it from that thread: {@code init()} first, {@code cleanup()} last. An instance is
 * therefore not thread-safe, while the store behind it is shared by all instances on the same
 * directory ({@link SharedStores}) and closed by the last {@code cleanup()}.
 */
public abstract class StoreYcsbDb extends DB {
  private static final Logger LOG = LoggerFactory.getLogger(StoreYcsbDb.class);

  private final RecordKeys keys = new RecordKeys();

  /** For subclasses, which YCSB makes through their public no-argument constructors. */
  protected StoreYcsbDb() {
  }

  @Override
  public final void init() throws DBException {
    open(getProperties());
  }

  @Override
  public final void cleanup() throws DBException {
    close();
  }

  @Override
  public final Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
    try {
      return readRecord(keys.key(table, key), fields, result) ? Status.OK : Status.NOT_FOUND;
    } catch (Exception e) {
      return failed("read", table, key, e);
    }
  }

  @Override
  public final Status scan(String table, String startkey, int recordcount, Set<String> fields,
      Vector<HashMap<String, ByteIterator>> result) {
    if (recordcount <= 0) {
      return Status.OK;
    }
    try {
      scanRecords(keys.key(table, startkey), keys.tableEnd(table), recordcount, fields, result);
      return Status.OK;
    } catch (Exception e) {
      return failed("scan", table, startkey, e);
    }
  }

  @Override
  public final Status update(String table, String key, Map<String, ByteIterator> values) {
    try {
      byte[] storedKey = keys.key(table, key);
      Map<String, ByteIterator> record = new HashMap<>();
      if (!readRecord(storedKey, null, record)) {
        return Status.NOT_FOUND;
      }
      record.putAll(values);
      writeRecord(storedKey, RecordCodec.encode(record));
      return Status.OK;
    } catch (Exception e) {
      return failed("update", table, key, e);
    }
  }

  @Override
  public final Status insert(String table, String key, Map<String, ByteIterator> values) {
    try {
      writeRecord(keys.key(table, key), RecordCodec.encode(values));
      return Status.OK;
    } catch (Exception e) {
      return failed("insert", table, key, e);
    }
  }

  @Override
  public final Status delete(String table, String key) {
    try {
      deleteRecord(keys.key(table, key));
      return Status.OK;
    } catch (Exception e) {
      return failed("delete", table, key, e);
    }
  }

  private static Status failed(String operation, String table, String key, Exception e) {
    LOG.error("{} of {}/{} failed", operation, table, key, e);
    return Status.ERROR;
  }

  /**
   * Takes this instance's share of the store, opening it if this is the first instance on its
   * directory. Called once, from {@link #init()}.
   *
   * @param properties YCSB's properties
   * @throws DBException if a property is missing or invalid, or the store cannot be opened
   */
  protected abstract void open(Properties properties) throws DBException;

  /**
   * Gives this instance's share of the store back (the last share closes it) and frees what the
   * instance holds. Called from {@link #cleanup()}; a second call, or one without a successful
   * {@link #open}, does nothing.
   *
   * @throws DBException if closing the store failed
   */
  protected abstract void close() throws DBException;

  /**
   * Reads one record.
   *
   * @param key the stored key
   * @param fields the fields to put into {@code result}, or null for all
   * @param result where the fields go
   * @return false if the key has no record
   * @throws Exception if the store failed
   */
  protected abstract boolean readRecord(byte[] key, Set<String> fields, Map<String, ByteIterator> result)
      throws Exception;

  /**
   * Writes one encoded record, replacing any under the key.
   *
   * @param key the stored key
   * @param record the record as {@link RecordCodec} encodes it
   * @throws Exception if the store failed
   */
  protected abstract void writeRecord(byte[] key, byte[] record) throws Exception;

  /**
   * Deletes one key; a missing key is not an error.
   *
   * @param key the stored key
   * @throws Exception if the store failed
   */
  protected abstract void deleteRecord(byte[] key) throws Exception;

  /**
   * Adds to {@code result} the records of the keys {@code k} with {@code from <= k < to}, in
   * ascending unsigned byte order, stopping after {@code count}.
   *
   * @param from the first key (inclusive)
   * @param to the end of the range (exclusive); not to be changed
   * @param count how many records at most, positive
   * @param fields the fields to return of each record, or null for all
   * @param result where the records go, in order
   * @throws Exception if the store failed
   */
  protected abstract void scanRecords(byte[] from, byte[] to, int count, Set<String> fields,
      Vector<HashMap<String, ByteIterator>> result) throws Exception;
}
