package dev.sett.core;

import dev.sett.api.CompactionResult;
import dev.sett.api.CorruptionException;
import dev.sett.api.InvalidInputException;
import dev.sett.api.KeyLocation;
import dev.sett.api.LongValueReader;
import dev.sett.api.ReadOnlyStoreException;
import dev.sett.api.Snapshot;
import dev.sett.api.StorageException;
import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import dev.sett.api.Transaction;
import dev.sett.api.ValueReader;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
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
  private final SnapshotRegistry snapshots = new SnapshotRegistry();
  private final ReadEpochs epochs;
  private final DeferredUnmaps unmaps;
  private final Compactor compactor;
  private final CompactionScheduler scheduler;
  private final RetiredSegments retired;
  private final PlainReads reads;
  private final InputChecks checks;
  private final SlowOperations slow;
  private volatile boolean closed;
  /** The JMX MBean's name, or null if none was registered (see {@link StoreJmx}). */
  private volatile javax.management.ObjectName mbean;

  private SettStore(Path dir, StoreOptions options, StoreDirectory directory, SegmentFiles files,
      SegmentTable table, KeyIndex index, Recovery.Result recovered, RetiredSegments retired,
      ReadEpochs epochs, DeferredUnmaps unmaps) {
    this.dir = dir;
    this.epochs = epochs;
    this.unmaps = unmaps;
    this.options = options;
    this.checks = new InputChecks(options);
    this.slow = new SlowOperations(dir.toString(), options);
    this.directory = directory;
    this.files = files;
    this.table = table;
    this.index = index;
    this.writer = new Writer(files, options, table, index, disposer(retired, unmaps), recovered, this::segmentAdded);
    this.compactor = new Compactor(writer, index, table, options, snapshots::oldestSequence,
        snapshots::oldestTime, snapshots::retireAtomically, retired);
    this.scheduler = new CompactionScheduler(compactor, dir);
    this.retired = retired;
    this.reads = new PlainReads(this, table, index.hash(), writer, epochs);
  }

  /**
   * Opens a store holding the directory's lock: exclusive for a writer, shared when
   * {@code options} say read-only (a handle that excludes writers; {@link Sett#open} gives
   * read-only callers a {@link ReadOnlyStore} instead, which does not).
   */
  static SettStore open(Storage storage, Path dir, StoreOptions options) {
    StoreDirectory directory;
    try {
      directory = StoreDirectory.open(storage, dir, options.readOnly());
    } catch (IOException e) {
      throw new StorageException("could not open store directory " + dir + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    }
    return open(storage, dir, options, directory, null);
  }

  /**
   * Opens one view of a store for a {@link ReadOnlyStore}: {@code directory} was validated (and
   * holds no lock, or a shared one the caller owns), and only the segments {@code entries} lists
   * are read, the ones the caller announced to the writer.
   */
  static SettStore openReader(Storage storage, Path dir, StoreOptions options, StoreEntries entries) {
    StoreDirectory directory;
    try {
      directory = StoreDirectory.openUnlocked(storage, dir);
    } catch (IOException e) {
      throw new StorageException("could not open store directory " + dir + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    }
    return open(storage, dir, options, directory, entries);
  }

  private static SettStore open(Storage storage, Path dir, StoreOptions options, StoreDirectory directory,
      StoreEntries entries) {
    SegmentTable table = new SegmentTable();
    ReadEpochs epochs = new ReadEpochs();
    DeferredUnmaps unmaps = new DeferredUnmaps(epochs, viewMappingBudget(options));
    try {
      SegmentFiles files = new SegmentFiles(storage, dir, options.readOnly());
      KeyIndex index = new KeyIndex(table, 1024);
      ReaderRegistry readers = new ReaderRegistry(dir);
      RetiredSegments retired = new RetiredSegments(files, readers);
      Recovery.Result recovered = new Recovery(files, options, table, index, disposer(retired, unmaps))
          .besideLiveWriter(entries != null && StoreDirectory.writerRunning(dir)).run(entries);
      if (!options.readOnly()) {
        // Every file the directory holds is this writer's now, retired by an earlier one or not.
        readers.publish(java.util.List.of());
      }
      SettStore store = new SettStore(dir, options, directory, files, table, index, recovered, retired,
          epochs, unmaps);
      if (options.autoCompaction() && !options.readOnly()) {
        store.scheduler.start();
      }
      for (String action : recovered.actions) {
        LOG.info("Opened {}: {}", dir, action);
      }
      // Last: nothing after it can fail, so a failed open never leaves an MBean behind.
      if (options.jmx()) {
        store.mbean = StoreJmx.register(store);
      }
      return store;
    } catch (IOException e) {
      release(table, unmaps, directory);
      throw new StorageException("could not open store " + dir + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    } catch (RuntimeException | Error e) {
      release(table, unmaps, directory);
      throw e;
    }
  }

  private static void release(SegmentTable table, DeferredUnmaps unmaps, StoreDirectory directory) {
    for (Segment s : table.all()) {
      table.remove(s.id());
      s.retire(false);
    }
    unmaps.drain();
    directory.close();
  }

  /**
   * Bytes of retired segments that views' read-only mappings may keep mapped before the collector
   * is asked to release them: four segments, and at least 256 MiB.
   */
  static long viewMappingBudget(StoreOptions options) {
    return viewBudgetForTests > 0 ? viewBudgetForTests : Math.max(256L << 20, 4L * options.segmentSize());
  }

  static volatile long viewBudgetForTests;

  /**
   * A segment nothing references any more is unmapped once no read can still be inside it, and a
   * retired one then goes to the ordered deleter.
   */
  private static Segment.Disposer disposer(RetiredSegments retired, DeferredUnmaps unmaps) {
    return segment -> unmaps.defer(segment.size(), () -> {
      boolean viewMapped = segment.region().countRetainedViewBytes(unmaps.viewBytes());
      segment.unmap();
      if (viewMapped) {
        unmaps.viewMappingReleased();
      }
      if (segment.deleteOnDispose()) {
        retired.unreachable(segment.id());
      }
    });
  }

  /** The writer created a segment: open snapshots pin it, compaction may have work. */
  private void segmentAdded(Segment segment) {
    snapshots.segmentAdded(segment);
    scheduler.wakeUp();
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

  /** Every read of a mapping, plain or through a snapshot, runs inside one of these epochs. */
  ReadEpochs epochs() {
    return epochs;
  }

  SegmentTable segmentTable() {
    return table;
  }

  /** The argument checks every read and write makes first. */
  InputChecks checks() {
    return checks;
  }

  void checkOpen() {
    if (closed) {
      throw new StoreClosedException("the store at " + dir + " is closed; open it again with Sett.open");
    }
  }

  void checkWritable() {
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
    SlowOperationEvent event = slow.start();
    checkWritable();
    checks.newKey(key);
    checks.value(value);
    writer.put(key, value, null);
    slow.end(event, "put");
  }

  @Override
  public void put(byte[] key, byte[] value, java.time.Duration ttl) {
    SlowOperationEvent event = slow.start();
    checkWritable();
    checks.newKey(key);
    checks.value(value);
    InputChecks.ttl(ttl);
    writer.put(key, value, ttl);
    slow.end(event, "put");
  }

  @Override
  public void delete(byte[] key) {
    SlowOperationEvent event = slow.start();
    checkWritable();
    checks.key(key);
    writer.delete(key);
    slow.end(event, "delete");
  }

  @Override
  public boolean putIfAbsent(byte[] key, byte[] value) {
    SlowOperationEvent event = slow.start();
    checkWritable();
    checks.newKey(key);
    checks.value(value);
    boolean written = writer.writeIf(key, Writer.ABSENT, value);
    slow.end(event, "putIfAbsent");
    return written;
  }

  @Override
  public boolean replace(byte[] key, byte[] expected, byte[] value) {
    SlowOperationEvent event = slow.start();
    checkWritable();
    checks.newKey(key);
    InputChecks.expected(expected);
    checks.value(value);
    boolean written = writer.writeIf(key, expected, value);
    slow.end(event, "replace");
    return written;
  }

  @Override
  public boolean delete(byte[] key, byte[] expected) {
    SlowOperationEvent event = slow.start();
    checkWritable();
    checks.key(key);
    InputChecks.expected(expected);
    boolean written = writer.writeIf(key, expected, null);
    slow.end(event, "delete");
    return written;
  }

  @Override
  public void write(WriteBatch batch) {
    SlowOperationEvent event = slow.start();
    checkWritable();
    checks.batch(batch);
    writer.write(batch);
    slow.end(event, "write");
  }

  @Override
  public byte[] get(byte[] key) {
    SlowOperationEvent event = slow.start();
    byte[] value = reads.get(key);
    slow.end(event, "get");
    return value;
  }

  @Override
  public boolean contains(byte[] key) {
    SlowOperationEvent event = slow.start();
    boolean found = reads.contains(key);
    slow.end(event, "contains");
    return found;
  }

  @Override
  public <R> R read(byte[] key, ValueReader<R> reader) {
    SlowOperationEvent event = slow.start();
    R result = reads.read(key, reader);
    slow.end(event, "read");
    return result;
  }

  @Override
  public long readLong(byte[] key, LongValueReader reader, long ifAbsent) {
    SlowOperationEvent event = slow.start();
    long result = reads.readLong(key, reader, ifAbsent);
    slow.end(event, "readLong");
    return result;
  }

  @Override
  public Snapshot snapshot() {
    checkOpen();
    SettSnapshot s = snapshots.take(() -> new SettSnapshot(this, writer.visibleSequence(), options.clock().millis(),
        table.all()));
    if (closed) {
      s.close();
      checkOpen();
    }
    return s;
  }

  @Override
  public Transaction beginTransaction() {
    checkWritable();
    return new SettTransaction(this, (SettSnapshot) snapshot(), false);
  }

  @Override
  public Transaction beginReadOnlyTransaction() {
    return new SettTransaction(this, (SettSnapshot) snapshot(), true);
  }

  @Override
  public void update(Consumer<Transaction> work) {
    if (work == null) {
      throw new InvalidInputException("the transaction's work must not be null");
    }
    compute(txn -> {
      work.accept(txn);
      return null;
    });
  }

  @Override
  public <R> R compute(Function<Transaction, R> work) {
    checkWritable();
    return TransactionRunner.run(() -> (SettTransaction) beginTransaction(), work, options.transactionAttempts());
  }

  /**
   * A transaction's commit: its writes as one batch, written only if {@code reads} pass their check
   * against {@code sequence}, which runs under the write lock so no write comes between.
   */
  void commit(WriteBatch writes, TransactionReads reads, long sequence) {
    checkWritable();
    writer.write(writes, reads == null || reads.isEmpty() ? null
        : () -> reads.validate(index, table, index.ordered(), sequence));
  }

  void snapshotClosed(SettSnapshot s) {
    snapshots.closed(s);
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
    return compactor.run(force);
  }

  @Override
  public StoreStats stats() {
    checkOpen();
    writer.lock().lock();
    try {
      return StoreFigures.collect(table.all(), writer.active(), options.clock().millis(), index.liveKeys(),
          writer.lastSequence(), index.memoryBytes(), snapshots.size(), compactor,
          List.of(scheduler.task().stats(), writer.sealer().task().stats()),
          unmaps.retainedBytes() + unmaps.viewBytes().get());
    } finally {
      writer.lock().unlock();
    }
  }

  /** {@link Sett#locate}: where the visible record of {@code key} is, or null. */
  KeyLocation locate(byte[] key) {
    checks.key(key);
    try (SettSnapshot s = (SettSnapshot) snapshot()) {
      ReadContext ctx = new ReadContext();
      if (!s.locate(key, ctx)) {
        return null;
      }
      Segment seg = ctx.segment;
      int off = ctx.offset;
      return new KeyLocation(seg.id(), seg.path(), off, seg.sequence(off), seg.storedCrc(off), seg.crcMatches(off),
          seg.valueLength(off), seg.recordSize(off), SegmentDumper.instant(seg.expiresAt(off)));
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
    StoreJmx.unregister(mbean);
    RuntimeException failure = null;
    try {
      try {
        scheduler.close();
      } catch (RuntimeException e) {
        failure = e;
      }
      writer.lock().lock();
      try {
        writer.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      } finally {
        writer.lock().unlock();
      }
      snapshots.closeAll();
      List<Segment> open = table.all();
      for (Segment s : open) {
        table.remove(s.id());
      }
      for (Segment s : open) {
        s.retire(false);
      }
      unmaps.drain();
      // After the drain (which deletes what no pin holds any more); from here on retired files
      // stay for the next writable open.
      retired.close();
      files.storage().finishUnmapping();
    } finally {
      // Whatever failed above, the directory is released: a handle that could not close cleanly
      // must not keep every later open of the store refused until the JVM exits.
      directory.close();
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "SettStore[" + dir + (closed ? ", closed]" : "]");
  }

  @Override
  public void refresh() {
    // A writer sees its own writes; a SettStore opened read-only holds the shared lock, so no
    // writer can have changed anything since it opened.
    checkOpen();
  }

  @Override
  public long checkpoint(Path target) {
    checkOpen();
    Path to = Checkpoint.checkTarget(dir, target);
    List<Checkpoint.Part> parts = new java.util.ArrayList<>();
    long sequence;
    boolean writable = !options.readOnly();
    if (writable) {
      writer.lock().lock(); // the instant: pins and ends only; the files are written after it
    }
    try {
      checkOpen();
      List<Segment> all = table.all();
      Segment newest = all.isEmpty() ? null : all.get(all.size() - 1);
      for (Segment seg : all) {
        if (!seg.tryPin()) {
          continue; // retired a moment ago: compaction put its live records in a later segment
        }
        parts.add(new Checkpoint.Part(seg, seg.end(), false));
      }
      sequence = writable ? writer.lastSequence() : writer.visibleSequence();
      for (int i = 0; i < parts.size(); i++) {
        Checkpoint.Part p = parts.get(i);
        // The newest one takes appends after this instant: copied up to its end, never linked.
        boolean hinted = p.segment() != newest && files.storage().exists(files.hintPath(p.segment().id()));
        parts.set(i, new Checkpoint.Part(p.segment(), p.end(), hinted));
      }
    } catch (RuntimeException | Error e) {
      for (Checkpoint.Part p : parts) {
        p.segment().unpin();
      }
      throw e;
    } finally {
      if (writable) {
        writer.lock().unlock();
      }
    }
    try {
      Checkpoint.write(dir, parts, to);
    } finally {
      for (Checkpoint.Part p : parts) {
        p.segment().unpin();
      }
    }
    return sequence;
  }

  /** Hears of every snapshot taken and closed (a {@link ReadOnlyStore} counts its users so). */
  void snapshotListener(SnapshotRegistry.Listener listener) {
    snapshots.listener(listener);
  }

  /** Retired segments whose files are not deleted yet (tests). */
  java.util.Set<Integer> retiredPending() {
    return retired.pending();
  }

  /**
   * Whether the newest segment holds committed records past the end this handle read (a read-only
   * handle asks, to tell whether a refresh has anything to read).
   */
  boolean newestHasMore() {
    Segment newest = writer.active();
    if (newest == null || !newest.tryPin()) {
      return false;
    }
    try {
      return SegmentScan.of(newest, newest.end(), newest.size()).committedEnd > newest.end();
    } finally {
      newest.unpin();
    }
  }

  /** The store's compactor; tests read its figures. */
  Compactor compactor() {
    return compactor;
  }
}
