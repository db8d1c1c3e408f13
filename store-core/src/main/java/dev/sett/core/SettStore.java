package dev.sett.core;

import dev.sett.api.CompactionResult;
import dev.sett.api.CorruptionException;
import dev.sett.api.InvalidInputException;
import dev.sett.api.KeyLocation;
import dev.sett.api.LongValueReader;
import dev.sett.api.ReadOnlyStoreException;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import dev.sett.api.Transaction;
import dev.sett.api.ValueReader;
import dev.sett.api.WriteBatch;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link Store} behind {@link Sett#open}: validates arguments, routes writes to the
 * {@link Writer} and reads through {@link Lookup}, and owns the lifetime of everything it opened.
 *
 * <p>Thread-safe. Plain reads ({@link PlainReads}) run inside read epochs; snapshots hold pins on
 * their segments until closed.
 */
final class SettStore implements Store {
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

  SettStore(Path dir, StoreOptions options, StoreDirectory directory, SegmentFiles files,
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
    this.writer = new Writer(files, options, table, index, StoreOpening.disposer(retired, unmaps), recovered,
        this::segmentAdded);
    this.compactor = new Compactor(writer, index, table, options, snapshots::oldestSequence,
        snapshots::oldestTime, snapshots::retireAtomically, retired);
    this.scheduler = new CompactionScheduler(compactor, dir);
    this.retired = retired;
    this.reads = new PlainReads(this, table, index.hash(), writer, epochs);
  }

  /**
   * Opens a store holding the directory's lock (see {@link StoreOpening#open}); tests open stores
   * over their own {@link Storage} through this.
   */
  static SettStore open(Storage storage, Path dir, StoreOptions options) {
    return StoreOpening.open(storage, dir, options);
  }

  /** Starts background compaction (a writable open with auto-compaction asks for it). */
  void startBackground() {
    scheduler.start();
  }

  /** Registers the JMX MBean; the last step of an open, which nothing after can fail. */
  void registerMBean() {
    mbean = StoreJmx.register(this);
  }

  /**
   * Bytes of retired segments that views' read-only mappings may keep mapped before the collector
   * is asked to release them: four segments, and at least 256 MiB.
   */
  static long viewMappingBudget(StoreOptions options) {
    return viewBudgetForTests > 0 ? viewBudgetForTests : Math.max(256L << 20, 4L * options.segmentSize());
  }

  static volatile long viewBudgetForTests;

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
      checkOpen(); // again under the lock, which close takes to release the index
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
        try {
          // After the writer and compaction are done; a read racing this finds the released
          // index and fails as closed (see HashIndex.RELEASED).
          index.release();
        } finally {
          writer.lock().unlock();
        }
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
    boolean writable = !options.readOnly();
    // A read-only handle's segments never change; a writer's are noted under its lock.
    return Checkpoint.take(dir, files, to, writable ? writer.lock() : null, () -> {
      checkOpen();
      return table.all();
    }, writable ? writer::lastSequence : writer::visibleSequence);
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
  /**
   * A read-only generation: takes in what the live writer committed since, in place, where it only
   * appended (see {@link ReaderCatchUp}); false if a new generation must be opened instead.
   *
   * @param added the ids of the segments the writer created since, ascending, announced already
   */
  boolean catchUp(List<Integer> added) throws java.io.IOException {
    return ReaderCatchUp.run(files, index, writer, StoreOpening.disposer(retired, unmaps), added);
  }

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
