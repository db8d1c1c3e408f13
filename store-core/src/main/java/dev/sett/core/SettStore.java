package dev.sett.core;

import dev.sett.api.CorruptionException;
import dev.sett.api.InvalidInputException;
import dev.sett.api.LongValueReader;
import dev.sett.api.ReadOnlyStoreException;
import dev.sett.api.Snapshot;
import dev.sett.api.StorageException;
import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import dev.sett.api.ValueReader;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} behind {@link Sett#open}: validates arguments, routes writes to the
 * {@link Writer} and reads through {@link Lookup}, and owns the lifetime of everything it opened.
 *
 * <p>Thread-safe. Plain reads pin the segment they read for the duration of the read
 * ({@link SegmentPins}); snapshots hold their pins until closed.
 */
final class SettStore implements Store, SegmentPins {
  private static final Logger LOG = LoggerFactory.getLogger(SettStore.class);
  private static final ThreadLocal<ReadContext> CONTEXT = ThreadLocal.withInitial(ReadContext::new);

  private final Path dir;
  private final StoreOptions options;
  private final StoreDirectory directory;
  private final SegmentFiles files;
  private final SegmentTable table;
  private final KeyIndex index;
  private final Writer writer;
  private final List<String> recoveryActions;
  private final Set<SettSnapshot> snapshots = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private SettStore(Path dir, StoreOptions options, StoreDirectory directory, SegmentFiles files,
      SegmentTable table, KeyIndex index, Recovery.Result recovered) {
    this.dir = dir;
    this.options = options;
    this.directory = directory;
    this.files = files;
    this.table = table;
    this.index = index;
    this.recoveryActions = List.copyOf(recovered.actions);
    this.writer = new Writer(files, options, table, index, disposer(files), recovered);
  }

  static SettStore open(Storage storage, Path dir, StoreOptions options) {
    StoreDirectory directory;
    try {
      directory = StoreDirectory.open(storage, dir, options.readOnly());
    } catch (IOException e) {
      throw new StorageException("could not open store directory " + dir + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    }
    SegmentTable table = new SegmentTable();
    try {
      SegmentFiles files = new SegmentFiles(storage, dir, options.readOnly());
      KeyIndex index = new KeyIndex(table, 1024);
      Recovery.Result recovered = new Recovery(files, options, table, index, disposer(files)).run();
      SettStore store = new SettStore(dir, options, directory, files, table, index, recovered);
      for (String action : recovered.actions) {
        LOG.info("Opened {}: {}", dir, action);
      }
      return store;
    } catch (IOException e) {
      release(table, directory);
      throw new StorageException("could not open store " + dir + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    } catch (RuntimeException | Error e) {
      release(table, directory);
      throw e;
    }
  }

  private static void release(SegmentTable table, StoreDirectory directory) {
    for (Segment s : table.all()) {
      table.remove(s.id());
      s.retire(false);
    }
    directory.close();
  }

  /** Deletes a retired segment's files once nothing can reach it any more (compaction's victims). */
  private static Segment.Disposer disposer(SegmentFiles files) {
    return segment -> {
      if (!segment.deleteOnDispose()) {
        return;
      }
      try {
        files.delete(segment.id());
      } catch (IOException e) {
        LOG.warn("Could not delete retired segment {}; it will be deleted at the next open", segment.path(), e);
      }
    };
  }

  // ---- plumbing for snapshots and cursors -------------------------------------------------------

  HashIndex hashIndex() {
    return index.hash();
  }

  OrderedKeys orderedKeys() {
    return index.ordered();
  }

  SegmentTable segmentTable() {
    return table;
  }

  /** Recovery's report of what it changed on disk at open (empty for a clean open). */
  List<String> recoveryActions() {
    return recoveryActions;
  }

  void checkOpen() {
    if (closed) {
      throw new StoreClosedException("the store at " + dir + " is closed; open it again with Sett.open");
    }
  }

  void validateKey(byte[] key) {
    if (key == null) {
      throw new InvalidInputException("key must not be null");
    }
    if (key.length == 0) {
      throw new InvalidInputException("key must not be empty");
    }
    if (key.length > options.maxKeySize()) {
      throw new InvalidInputException("key of " + key.length + " bytes is over the limit of "
          + options.maxKeySize() + " bytes (StoreOptions.maxKeySize)");
    }
  }

  private void validateValue(byte[] value) {
    if (value == null) {
      throw new InvalidInputException("value must not be null; use delete(key) to remove a key");
    }
    if (value.length > options.maxValueSize()) {
      throw new InvalidInputException("value of " + value.length + " bytes is over the limit of "
          + options.maxValueSize() + " bytes (StoreOptions.maxValueSize)");
    }
  }

  private void checkWritable() {
    checkOpen();
    if (options.readOnly()) {
      throw new ReadOnlyStoreException("the store at " + dir + " was opened read-only; open it without"
          + " readOnly(true) to write");
    }
  }

  void verifyIfAsked(Segment s, int offset) {
    if (options.verifyChecksums() && !s.crcMatches(offset)) {
      throw new CorruptionException(s.path(), offset, "record checksum mismatch");
    }
  }

  // ---- SegmentPins for plain reads --------------------------------------------------------------

  @Override
  public Segment acquire(int id) {
    Segment s = table.get(id);
    if (s != null && s.tryPin()) {
      return s;
    }
    checkOpen();
    return null;
  }

  @Override
  public void release(Segment segment) {
    segment.unpin();
  }

  // ---- Store ------------------------------------------------------------------------------------

  @Override
  public void put(byte[] key, byte[] value) {
    checkWritable();
    validateKey(key);
    validateValue(value);
    writer.put(key, value);
  }

  @Override
  public void delete(byte[] key) {
    checkWritable();
    validateKey(key);
    writer.delete(key);
  }

  @Override
  public void write(WriteBatch batch) {
    checkWritable();
    if (batch == null) {
      throw new InvalidInputException("batch must not be null");
    }
    for (WriteBatch.Op op : batch.operations()) {
      validateKey(op.key());
      if (!op.isDelete()) {
        validateValue(op.value());
      }
    }
    writer.write(batch);
  }

  @Override
  public byte[] get(byte[] key) {
    checkOpen();
    validateKey(key);
    ReadContext ctx = context();
    if (!Lookup.find(index.hash(), key, KeyHash.hash(key), writer.visibleSequence(), this, ctx)) {
      return null;
    }
    Segment s = ctx.segment;
    try {
      verifyIfAsked(s, ctx.offset);
      return s.copyValue(ctx.offset);
    } finally {
      s.unpin();
    }
  }

  @Override
  public boolean contains(byte[] key) {
    checkOpen();
    validateKey(key);
    ReadContext ctx = context();
    if (!Lookup.find(index.hash(), key, KeyHash.hash(key), writer.visibleSequence(), this, ctx)) {
      return false;
    }
    ctx.segment.unpin();
    return true;
  }

  @Override
  public <R> R read(byte[] key, ValueReader<R> reader) {
    ReadContext ctx = bindView(key, reader);
    if (ctx == null) {
      return null;
    }
    try {
      return reader.read(ctx.view);
    } finally {
      unbind(ctx);
    }
  }

  @Override
  public long readLong(byte[] key, LongValueReader reader, long ifAbsent) {
    ReadContext ctx = bindView(key, reader);
    if (ctx == null) {
      return ifAbsent;
    }
    try {
      return reader.read(ctx.view);
    } finally {
      unbind(ctx);
    }
  }

  /** Finds the key and binds a context's view to its value (pinned), or returns null if absent. */
  private ReadContext bindView(byte[] key, Object reader) {
    checkOpen();
    validateKey(key);
    if (reader == null) {
      throw new InvalidInputException("reader must not be null");
    }
    ReadContext ctx = context();
    if (!Lookup.find(index.hash(), key, KeyHash.hash(key), writer.visibleSequence(), this, ctx)) {
      return null;
    }
    Segment s = ctx.segment;
    try {
      verifyIfAsked(s, ctx.offset);
      ctx.view.bind(s, s.valueOffset(ctx.offset), s.valueLength(ctx.offset));
    } catch (RuntimeException e) {
      s.unpin();
      throw e;
    }
    ctx.depth++;
    return ctx;
  }

  private static void unbind(ReadContext ctx) {
    ctx.depth--;
    ctx.view.unbind();
    ctx.segment.unpin();
  }

  /** The thread's context, or a fresh one when a callback reads the store again (nesting). */
  static ReadContext context() {
    ReadContext ctx = CONTEXT.get();
    return ctx.depth == 0 ? ctx : new ReadContext();
  }

  @Override
  public Snapshot snapshot() {
    checkOpen();
    SettSnapshot s;
    synchronized (snapshots) {
      s = new SettSnapshot(this, writer.visibleSequence(), table.all());
      snapshots.add(s);
    }
    if (closed) {
      s.close();
      checkOpen();
    }
    return s;
  }

  void snapshotClosed(SettSnapshot s) {
    snapshots.remove(s);
  }

  @Override
  public void sync() {
    checkOpen();
    writer.sync();
  }

  @Override
  public StoreStats stats() {
    checkOpen();
    writer.lock().lock();
    try {
      List<Segment> segments = table.all();
      long disk = 0;
      long data = 0;
      for (Segment s : segments) {
        disk += s.size();
        data += s.end() - SegmentFormat.HEADER_SIZE;
      }
      return new StoreStats(segments.size(), disk, data, index.liveKeys(), index.liveBytes(),
          index.deadBytes(), writer.lastSequence(), index.memoryBytes(), snapshots.size());
    } finally {
      writer.lock().unlock();
    }
  }

  @Override
  public Path directory() {
    return dir;
  }

  @Override
  public StoreOptions options() {
    return options;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    RuntimeException failure = null;
    writer.lock().lock();
    try {
      writer.close();
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      writer.lock().unlock();
    }
    for (SettSnapshot s : snapshots.toArray(new SettSnapshot[0])) {
      s.close();
    }
    for (Segment s : table.all()) {
      table.remove(s.id());
      s.retire(false);
    }
    ChronicleSupport.releasePending();
    directory.close();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "SettStore[" + dir + (closed ? ", closed]" : "]");
  }
}
