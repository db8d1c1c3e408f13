package dev.sett.kafka;

import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import dev.sett.core.Sett;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.ChangelogRecordDeserializationHelper;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.StoreQueryUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Streams persistent key-value store kept in a Sett store, in the state directory under
 * {@code sett/<name>}.
 *
 * <p><b>Commits are atomic.</b> Writes made between two commits stay in memory
 * ({@link PendingWrites}); {@link #commit} writes them, the changelog offsets they lead up to and
 * the query position as one Sett batch and forces it to disk. After a crash the store therefore
 * holds exactly what its committed offsets cover, so under exactly-once processing Kafka Streams
 * restores only the changelog records after them instead of wiping the store (RocksDB's store,
 * which writes through, must be wiped after an unclean stop). When the pending writes outgrow
 * {@link #flushThreshold} they are written early, marked as not covered by an offset: under
 * exactly-once the store then reports no committed offset until its next commit, so that a crash in
 * between makes Kafka Streams rebuild it, as it does for RocksDB. {@link #close} drops writes no
 * commit covered (the changelog holds them).
 *
 * <p><b>Threading.</b> Written by the stream thread that owns the task; reads and iterators may come
 * from interactive-query threads too and see the pending writes, as RocksDB's do. Iterators are
 * single-threaded and must be closed; see {@link SettKeyValueIterator}.
 */
class SettKeyValueStore implements KeyValueStore<Bytes, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(SettKeyValueStore.class);
  /** Closes iterators their users dropped without closing (shared by every store of the JVM). */
  private static final Cleaner ITERATOR_CLEANER = Cleaner.create();
  /** Where the stores live inside Kafka Streams' state directory of a task. */
  static final String PARENT_DIR = "sett";
  /** Bytes a record takes on disk beside its key and value, rounded up (Sett's header, the key prefix). */
  private static final long RECORD_OVERHEAD = 64;

  private final String name;
  private final StoreFormat format;
  private final StoreOptions options;
  private final Set<SettKeyValueIterator.Resources> openIterators = ConcurrentHashMap.newKeySet();
  private final Position position = Position.emptyPosition();
  private volatile PendingWrites pending = new PendingWrites();
  private volatile boolean open;
  private Store store;
  private StoreMeta meta;
  private StoreMetrics metrics;
  private StateStoreContext context;
  private boolean exactlyOnce;
  private boolean consistencyEnabled;
  /** Restored records were written without a sync; the next commit forces them. */
  private boolean unsynced;

  SettKeyValueStore(String name, StoreFormat format, StoreOptions options) {
    this.name = Objects.requireNonNull(name, "name cannot be null");
    this.format = format;
    this.options = options;
  }

  /** Bytes of pending writes beyond which they are written before the next commit. */
  long flushThreshold() {
    return Math.min(options.segmentSize() / 4, 16L << 20);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext stateStoreContext, StateStore root) {
    Path dir = stateStoreContext.stateDir().toPath().resolve(PARENT_DIR).resolve(name);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ProcessorStateException("could not create the directory of state store " + name + " at " + dir, e);
    }
    Map<String, Object> configs = stateStoreContext.appConfigs();
    exactlyOnce = StreamsConfig.EXACTLY_ONCE_V2.equals(configs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    consistencyEnabled = StreamsConfig.InternalConfig.getBoolean(configs,
        StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, false);
    try {
      store = Sett.open(dir, options);
    } catch (StoreException e) {
      throw new ProcessorStateException("could not open state store " + name + " at " + dir + ": " + e.getMessage(), e);
    }
    try {
      meta = StoreMeta.read(store);
      if (meta.layout() > StoreMeta.LAYOUT_VERSION) {
        throw new ProcessorStateException("state store " + name + " at " + dir + " was written by a newer store-kafka"
            + " (layout " + meta.layout() + "; this one reads up to " + StoreMeta.LAYOUT_VERSION + "); upgrade"
            + " store-kafka, or delete that directory so that Kafka Streams restores the store from its changelog");
      }
      if (meta.format() != null && meta.format() != format) {
        throw new ProcessorStateException("state store " + name + " at " + dir + " holds " + meta.format().label()
            + " values but is opened as a " + format.label() + " store; delete that directory so that Kafka"
            + " Streams restores the store from its changelog in the new format");
      }
      position.merge(meta.position());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    context = stateStoreContext;
    pending = new PendingWrites();
    metrics = new StoreMetrics(stateStoreContext, name);
    open = true;
    try {
      metrics.record(store.stats());
      stateStoreContext.register(root, (RecordBatchingStateRestoreCallback) this::restoreBatch);
    } catch (RuntimeException e) {
      close(); // a store Kafka never got hold of must not keep its directory locked
      throw e;
    }
  }

  /**
   * Writes restored changelog records in atomic Sett batches of up to {@link #flushThreshold}
   * bytes. They are committed data (under exactly-once the restore reads committed records only),
   * so they go straight to the store; the next commit records their offset and forces them.
   */
  void restoreBatch(Collection<ConsumerRecord<byte[], byte[]>> records) {
    validateOpen();
    if (!pending.isEmpty()) {
      writeEarly();
    }
    WriteBatch batch = new WriteBatch();
    long limit = flushThreshold();
    synchronized (position) {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        byte[] key = KeySpace.data(r.key());
        if (r.value() == null) {
          batch.delete(key);
        } else {
          batch.putWithoutCopy(key, r.value()); // Kafka hands the record over; the key is a fresh copy
        }
        ChangelogRecordDeserializationHelper.applyChecksAndUpdatePosition(r, consistencyEnabled, position);
        // Beside keys and values, each record costs its header on disk: counted generously.
        if (batch.payloadBytes() + RECORD_OVERHEAD * batch.size() >= limit) {
          write(batch, "restoring");
          batch.clear();
        }
      }
    }
    write(batch, "restoring");
    unsynced = true;
  }

  // ---- reads -------------------------------------------------------------------------------------

  @Override
  public byte[] get(Bytes key) {
    Objects.requireNonNull(key, "key cannot be null");
    validateOpen();
    byte[] p = pending.get(key);
    if (p != null) {
      return p == PendingWrites.DELETED ? null : p;
    }
    try {
      return store.get(KeySpace.data(key.get()));
    } catch (StoreException e) {
      throw failure("reading a key from", e);
    }
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    return range(from, to, false);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
    return range(from, to, true);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    return range(null, null, false);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseAll() {
    return range(null, null, true);
  }

  private KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to, boolean reverse) {
    validateOpen();
    if (from != null && to != null && from.compareTo(to) > 0) {
      LOG.warn("Returning empty iterator for fetch with invalid key range: from > to."
          + " This may be due to range arguments set in the wrong order, "
          + "or serdes that don't preserve ordering when lexicographically comparing the serialized bytes."
          + " Note that the built-in numerical serdes do not follow this for negative numbers");
      return iterator(null, null);
    }
    KeyRange range = KeySpace.dataRange(from == null ? null : from.get(), to == null ? null : to.get());
    return iterator(reverse ? range.reverse() : range, pending.range(from, to));
  }

  @Override
  public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
    Objects.requireNonNull(prefix, "prefix cannot be null");
    Objects.requireNonNull(prefixKeySerializer, "prefixKeySerializer cannot be null");
    validateOpen();
    byte[] p = prefixKeySerializer.serialize(null, prefix);
    return iterator(KeySpace.dataPrefix(p), pending.prefix(p));
  }

  /** An iterator over {@code range} and {@code pendingRange}; both null: an empty one. */
  private KeyValueIterator<Bytes, byte[]> iterator(KeyRange range, java.util.NavigableMap<Bytes, byte[]> pendingRange) {
    Snapshot snapshot;
    try {
      snapshot = store.snapshot();
    } catch (StoreException e) {
      throw failure("opening an iterator of", e);
    }
    SettKeyValueIterator.Resources resources = new SettKeyValueIterator.Resources(snapshot, openIterators, name);
    if (range == null) {
      // An empty range of the store's own records' space: Kafka keys never sit there.
      range = KeyRange.between(new byte[] {KeySpace.META}, new byte[] {KeySpace.META});
      pendingRange = new java.util.TreeMap<>();
    }
    return new SettKeyValueIterator(resources, ITERATOR_CLEANER, range, pendingRange);
  }

  /**
   * The number of entries: the store's live keys less its own records, plus pending puts (a pending
   * put of a key the store already holds is counted twice until the next commit).
   */
  @Override
  public long approximateNumEntries() {
    validateOpen();
    long own = 0;
    try (Snapshot s = store.snapshot(); Cursor c = s.scan(KeySpace.metaPrefix(""))) {
      while (c.next()) {
        own++;
      }
    } catch (StoreException e) {
      throw failure("counting the entries of", e);
    }
    return Math.max(0, store.stats().liveKeys() - own) + pending.puts();
  }

  // ---- writes ------------------------------------------------------------------------------------

  @Override
  public void put(Bytes key, byte[] value) {
    Objects.requireNonNull(key, "key cannot be null");
    validateOpen();
    putPending(key, value);
    maybeWriteEarly();
  }

  private void putPending(Bytes key, byte[] value) {
    synchronized (position) {
      pending.put(key, value);
      StoreQueryUtils.updatePosition(position, context);
    }
  }

  @Override
  public byte[] putIfAbsent(Bytes key, byte[] value) {
    Objects.requireNonNull(key, "key cannot be null");
    byte[] current = get(key);
    if (current == null) {
      put(key, value);
    }
    return current;
  }

  /** All or nothing: every key is checked before any is written, and the next commit writes them together. */
  @Override
  public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
    List<KeyValue<Bytes, byte[]>> copy = new ArrayList<>(entries);
    for (KeyValue<Bytes, byte[]> e : copy) {
      Objects.requireNonNull(e, "entry cannot be null");
      Objects.requireNonNull(e.key, "key cannot be null");
    }
    validateOpen();
    for (KeyValue<Bytes, byte[]> e : copy) {
      putPending(e.key, e.value);
    }
    maybeWriteEarly();
  }

  @Override
  public byte[] delete(Bytes key) {
    Objects.requireNonNull(key, "key cannot be null");
    byte[] old = get(key);
    put(key, null);
    return old;
  }

  private void maybeWriteEarly() {
    if (pending.bytes() > flushThreshold()) {
      writeEarly();
    }
  }

  /** Writes the pending writes before a commit, marked as covered by no offset. */
  private void writeEarly() {
    PendingWrites p = pending;
    WriteBatch batch = new WriteBatch();
    p.addTo(batch);
    meta.markDirty(batch);
    write(batch, "writing pending writes to");
    pending = new PendingWrites();
  }

  /**
   * Writes the pending writes, {@code changelogOffsets} and the query position as one atomic batch
   * and forces it to disk. A commit that would change nothing writes nothing.
   */
  @Override
  public void commit(Map<TopicPartition, Long> changelogOffsets) {
    if (!open) {
      return;
    }
    PendingWrites p = pending;
    if (p.isEmpty() && !meta.dirty() && meta.format() != null && meta.sameOffsets(changelogOffsets)
        && !unsynced) {
      return;
    }
    WriteBatch batch = new WriteBatch();
    p.addTo(batch);
    synchronized (position) {
      meta.commit(batch, changelogOffsets, position, format);
    }
    write(batch, "committing");
    pending = new PendingWrites();
    sync();
    unsynced = false;
    metrics.record(store.stats());
  }

  @Override
  public Long committedOffset(TopicPartition partition) {
    validateOpen();
    if (exactlyOnce && meta.dirty()) {
      return null; // writes beyond the last commit may belong to an aborted transaction
    }
    return meta.offset(partition);
  }

  @Override
  @SuppressWarnings("deprecation")
  public boolean managesOffsets() {
    return true;
  }

  private void write(WriteBatch batch, String what) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      store.write(batch);
    } catch (StoreException e) {
      throw failure(what, e);
    }
  }

  private void sync() {
    try {
      store.sync();
    } catch (StoreException e) {
      throw failure("forcing to disk", e);
    }
  }

  // ---- life cycle and queries ----------------------------------------------------------------------

  @Override
  public boolean persistent() {
    return true;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Closes the store (idempotent): open iterators are closed, and writes no commit covered are dropped. */
  @Override
  public synchronized void close() {
    if (!open) {
      return;
    }
    open = false;
    List<SettKeyValueIterator.Resources> left = new ArrayList<>(openIterators);
    if (!left.isEmpty()) {
      LOG.warn("Closing {} open iterators for store {}", left.size(), name);
      for (SettKeyValueIterator.Resources r : left) {
        r.closeForStore();
      }
    }
    pending = new PendingWrites();
    metrics.close();
    try {
      store.close();
    } catch (StoreException e) {
      throw failure("closing", e);
    }
  }

  @Override
  public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
    return StoreQueryUtils.handleBasicQueries(query, positionBound, config, this, position, context);
  }

  @Override
  public Position getPosition() {
    return position;
  }

  private void validateOpen() {
    if (!open) {
      throw new InvalidStateStoreException("Store " + name + " is currently closed");
    }
  }

  private ProcessorStateException failure(String what, StoreException e) {
    return new ProcessorStateException("Sett failed while " + what + " state store " + name + ": " + e.getMessage(), e);
  }

  /** Iterators not closed yet; for tests. */
  int openIterators() {
    return openIterators.size();
  }

  @Override
  public String toString() {
    return "SettKeyValueStore[" + name + ", " + format.label() + (open ? ", open" : ", closed") + "]";
  }
}
