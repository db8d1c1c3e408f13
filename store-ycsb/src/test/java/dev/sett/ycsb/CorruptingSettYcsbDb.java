package dev.sett.ycsb;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicLong;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * A deliberately broken binding for the negative end-to-end test: {@link SettYcsbDb} underneath,
 * but one record in {@value #EVERY} that a read or scan returns has one byte of one field flipped,
 * while every call still reports {@link Status#OK}. The data integrity checks must notice.
 *
 * <p>Used as YCSB uses a binding: one instance per client thread.
 */
public final class CorruptingSettYcsbDb extends DB {
  /** How often a returned record is damaged: rarely, to show that rare damage is caught too. */
  static final int EVERY = 50;
  private static final AtomicLong RECORDS = new AtomicLong();

  private final SettYcsbDb store = new SettYcsbDb();

  /** Made by YCSB, one per client thread. */
  public CorruptingSettYcsbDb() {
  }

  @Override
  public void init() throws DBException {
    store.setProperties(getProperties());
    store.init();
  }

  @Override
  public void cleanup() throws DBException {
    store.cleanup();
  }

  @Override
  public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
    Status status = store.read(table, key, fields, result);
    maybeCorrupt(result);
    return status;
  }

  @Override
  public Status scan(String table, String startkey, int recordcount, Set<String> fields,
      Vector<HashMap<String, ByteIterator>> result) {
    Status status = store.scan(table, startkey, recordcount, fields, result);
    result.forEach(CorruptingSettYcsbDb::maybeCorrupt);
    return status;
  }

  @Override
  public Status update(String table, String key, Map<String, ByteIterator> values) {
    return store.update(table, key, values);
  }

  @Override
  public Status insert(String table, String key, Map<String, ByteIterator> values) {
    return store.insert(table, key, values);
  }

  @Override
  public Status delete(String table, String key) {
    return store.delete(table, key);
  }

  /** Flips the last byte of the record's last field, in one record of {@link #EVERY}. */
  private static void maybeCorrupt(Map<String, ByteIterator> record) {
    if (record.isEmpty() || RECORDS.incrementAndGet() % EVERY != 0) {
      return;
    }
    String field = new TreeSet<>(record.keySet()).last();
    byte[] value = record.get(field).toArray();
    if (value.length > 0) {
      value[value.length - 1] ^= 1;
    }
    record.put(field, new ByteArrayByteIterator(value));
  }
}
