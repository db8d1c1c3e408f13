package dev.sett.core;

import dev.sett.api.CompactionResult;
import dev.sett.api.CorruptionException;
import dev.sett.api.InvalidInputException;
import dev.sett.api.KeyLocation;
import dev.sett.api.LongValueReader;
import dev.sett.api.ReadOnlyStoreException;
import dev.sett.api.SegmentStats;
import dev.sett.api.Snapshot;
import dev.sett.api.StorageException;
import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreFacts;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import dev.sett.api.ValueReader;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} behind {@link Sett#open}: validates arguments, routes writes to the
 * {@link Writer} and reads through {@link Lookup}, and owns the lifetime of everything it opened.
 *
 * <p>Thread-safe. Plain reads ({@link PlainReads}) run inside read epochs; snapshots hold pins on
 * their segments until closed.
 */
final class SettStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(SettStore.class);

  private final Path dir;
  private final StoreOptions options;
  private final StoreDirectory directory;
  private final SegmentFiles files;
  private final SegmentTable table;
  private final KeyIndex index;
  private final Writer writer;
  private final Set<SettSnapshot> snapshots = ConcurrentHashMap.newKeySet();
  private final ReadEpochs epochs = new ReadEpochs();
  private final Compactor compactor;
  private final CompactionScheduler scheduler;
  private final PlainReads reads;
  /** The longest key reads and deletes accept: the largest limit the store's data was written with. */
  private final int readKeyLimit;
  private volatile boolean closed;

  private SettStore(Path dir, StoreOptions options, StoreDirectory directory, SegmentFiles files,
      SegmentTable table, KeyIndex index, Recovery.Result recovered, RetiredSegments retired, int readKeyLimit) {
    this.dir = dir;
    this.options = options;
    this.readKeyLimit = readKeyLimit;
    this.directory = directory;
    this.files = files;
    this.table = table;
    this.index = index;
    this.writer = new Writer(files, options, table, index, disposer(retired), recovered, this::segmentAdded);
    this.compactor = new Compactor(writer, index, table, options, this::oldestSnapshotSequence,
        this::retireAtomically, epochs, retired);
    this.scheduler = new CompactionScheduler(compactor, String.valueOf(dir.getFileName()));
    this.reads = new PlainReads(this, table, index.hash(), writer, epochs);
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
      RetiredSegments retired = new RetiredSegments(files);
      Recovery.Result recovered = new Recovery(files, options, table, index, disposer(retired)).run();
      StoreFacts recorded = MarkerFacts.read(storage, dir);
      int readKeyLimit = Math.max(options.maxKeySize(), recovered.longestKey);
      if (recorded != null) {
        readKeyLimit = Math.max(readKeyLimit, recorded.maxKeySize());
      }
      if (!options.readOnly()) {
        recordFacts(storage, dir, recorded, MarkerFacts.merge(recorded, options, recovered.longestKey,
            recovered.longestValue));
      }
      SettStore store = new SettStore(dir, options, directory, files, table, index, recovered, retired,
          readKeyLimit);
      if (options.autoCompaction() && !options.readOnly()) {
        store.scheduler.start();
      }
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

  /**
   * Rewrites the marker if the facts changed. A failure costs only the record (a later open finds
   * the longest key on disk anyway), so it is logged, not thrown: a store must open on a full disk.
   */
  private static void recordFacts(Storage storage, Path dir, StoreFacts recorded, StoreFacts facts) {
    if (facts.equals(recorded)) {
      return;
    }
    try {
      MarkerFacts.record(storage, dir, facts);
    } catch (IOException e) {
      LOG.warn("Could not record {} in the marker of {}; the next writable open tries again", facts, dir, e);
    }
  }

  private static void release(SegmentTable table, StoreDirectory directory) {
    for (Segment s : table.all()) {
      table.remove(s.id());
      s.retire(false);
    }
    directory.close();
  }

  /** Hands compaction's victims to the ordered deleter once nothing can reach them any more. */
  private static Segment.Disposer disposer(RetiredSegments retired) {
    return segment -> {
      if (segment.deleteOnDispose()) {
        retired.unreachable(segment.id());
      }
    };
  }

  /** The writer created a segment: open snapshots pin it, compaction may have work. */
  private void segmentAdded(Segment segment) {
    synchronized (snapshots) {
      for (SettSnapshot s : snapshots) {
        s.pinNew(segment);
      }
    }
    scheduler.wakeUp();
  }

  private long oldestSnapshotSequence() {
    long oldest = Long.MAX_VALUE;
    for (SettSnapshot s : snapshots) {
      oldest = Math.min(oldest, s.sequence());
    }
    return oldest;
  }

  /** Runs {@code retire} while no snapshot is being taken, so each sees all or none of it. */
  private void retireAtomically(Runnable retire) {
    synchronized (snapshots) {
      retire.run();
    }
  }

  // ---- plumbing for snapshots and cursors -------------------------------------------------------

  HashIndex hashIndex() {
    return index.hash();
  }

  OrderedKeys orderedKeys() {
    return index.ordered();
  }

  PlainReads plainReads() {
    return reads;
  }

  SegmentTable segmentTable() {
    return table;
  }

  void checkOpen() {
    if (closed) {
      throw new StoreClosedException("the store at " + dir + " is closed; open it again with Sett.open");
    }
  }

  /**
   * Checks a key to read or delete: any key up to the largest limit the store's data was written
   * with, which may be over this handle's {@code maxKeySize} (a smaller limit restricts new keys only).
   */
  void validateKey(byte[] key) {
    if (key == null) {
      throw new InvalidInputException("key must not be null");
    }
    if (key.length == 0) {
      throw new InvalidInputException("key must not be empty");
    }
    if (key.length > readKeyLimit) {
      throw new InvalidInputException("key of " + key.length + " bytes is over the limit of "
          + readKeyLimit + " bytes (" + (readKeyLimit == options.maxKeySize() ? "StoreOptions.maxKeySize"
              : "the longest key this store was written with") + ")");
    }
  }

  /** Checks a key to put: {@link #validateKey}, and this handle's {@code maxKeySize}. */
  private void validateNewKey(byte[] key) {
    validateKey(key);
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

  // ---- Store ------------------------------------------------------------------------------------

  @Override
  public void put(byte[] key, byte[] value) {
    checkWritable();
    validateNewKey(key);
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
      if (op.isDelete()) {
        validateKey(op.key());
      } else {
        validateNewKey(op.key());
        validateValue(op.value());
      }
    }
    writer.write(batch);
  }

  @Override
  public byte[] get(byte[] key) {
    return reads.get(key);
  }

  @Override
  public boolean contains(byte[] key) {
    return reads.contains(key);
  }

  @Override
  public <R> R read(byte[] key, ValueReader<R> reader) {
    return reads.read(key, reader);
  }

  @Override
  public long readLong(byte[] key, LongValueReader reader, long ifAbsent) {
    return reads.readLong(key, reader, ifAbsent);
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
  public List<Integer> compactionPlan(boolean force) {
    checkOpen();
    return compactor.plan(force);
  }

  @Override
  public CompactionResult compact(boolean force) {
    checkWritable();
    epochs.checkNotReading("compact()");
    return compactor.run(force);
  }

  @Override
  public StoreStats stats() {
    checkOpen();
    writer.lock().lock();
    try {
      List<Segment> segments = table.all();
      List<SegmentStats> perSegment = new ArrayList<>(segments.size());
      long disk = 0;
      long data = 0;
      long live = 0;
      long dead = 0;
      long tombstones = 0;
      long bitmaps = 0;
      Segment active = writer.active();
      for (Segment s : segments) {
        SegmentLiveness l = s.liveness();
        disk += s.size();
        data += l.bytes();
        live += l.liveBytes();
        dead += l.deadBytes();
        tombstones += l.tombstoneBytes();
        bitmaps += l.bitmapBytes();
        perSegment.add(new SegmentStats(s.id(), s.size(), l.bytes(), l.records(), l.deadRecords(), l.liveBytes(),
            l.deadBytes(), l.tombstones(), l.tombstoneBytes(), s == active));
      }
      return new StoreStats(segments.size(), disk, data, index.liveKeys(), live, dead, tombstones,
          writer.lastSequence(), index.memoryBytes() + bitmaps, snapshots.size(), compactor.runs(),
          compactor.bytesReclaimed(), compactor.nanos(), perSegment);
    } finally {
      writer.lock().unlock();
    }
  }

  /** {@link Sett#locate}: where the visible record of {@code key} is, or null. */
  KeyLocation locate(byte[] key) {
    validateKey(key);
    try (SettSnapshot s = (SettSnapshot) snapshot()) {
      ReadContext ctx = new ReadContext();
      if (!s.locate(key, ctx)) {
        return null;
      }
      Segment seg = ctx.segment;
      int off = ctx.offset;
      return new KeyLocation(seg.id(), seg.path(), off, seg.sequence(off), seg.storedCrc(off), seg.crcMatches(off),
          seg.valueLength(off), seg.recordSize(off));
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
    epochs.checkNotReading("close()");
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    RuntimeException failure = null;
    scheduler.close();
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
    List<Segment> open = table.all();
    for (Segment s : open) {
      table.remove(s.id());
    }
    epochs.awaitReaders(epochs.advance());
    for (Segment s : open) {
      s.retire(false);
    }
    files.storage().finishUnmapping();
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
