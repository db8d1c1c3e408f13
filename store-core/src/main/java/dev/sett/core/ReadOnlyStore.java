package dev.sett.core;

import dev.sett.api.CompactionResult;
import dev.sett.api.KeyLocation;
import dev.sett.api.LongValueReader;
import dev.sett.api.Snapshot;
import dev.sett.api.StorageException;
import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreLockedException;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import dev.sett.api.Transaction;
import dev.sett.api.ValueReader;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only handle, which may share its store with a live writer in this process or another: the
 * {@link Store} {@link Sett#open} returns for {@code readOnly(true)}.
 *
 * <p>It takes no lock. It announces the segment files it maps in the store's reader registry
 * ({@link ReaderRegistry}), so the writer's compaction deletes none of them while it is open, and
 * reads through a <em>generation</em>: a {@link SettStore} opened over exactly the announced files.
 * {@link #refresh()} brings it up to what the writer has written since: in place where the writer
 * only appended ({@link ReaderCatchUp}: new records become visible all at once, as a writer's batch
 * does, and snapshots keep their sequence), else (the writer's compaction retired segments) by
 * opening a new generation and making it current; the old one closes when the last read or
 * snapshot using it is done, and the announcement then shrinks to what the live generations map.
 * So a snapshot keeps what it saw across refreshes, and a read never meets a generation being
 * closed under it.
 *
 * <p>Where the registry cannot be written (a store on a read-only file system, or a directory this
 * user may not write), it falls back to the shared directory lock, as read-only handles always did:
 * it then excludes writers, and it fails if one is running.
 *
 * <p>Thread-safe: every method may be called from any thread; {@link #refresh()} and
 * {@link #close()} are serialised. Idempotent {@link #close()}.
 */
final class ReadOnlyStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyStore.class);
  /** How often an open retries when the writer's compaction keeps changing the files under it. */
  private static final int ATTEMPTS = 100;

  private final Storage storage;
  private final Path dir;
  private final StoreOptions options;
  private final StoreOptions generationOptions;
  private final ReaderRegistry registry;
  /** Null when the store is guarded by the shared lock instead. */
  private final ReaderRegistry.Announcement announcement;
  private final StoreDirectory sharedLock;
  // Guarded by this.
  private final List<ReaderGeneration> live = new ArrayList<>();
  private volatile ReaderGeneration current;
  // Guarded by this: how refreshes that found something new went (tests and failure reports).
  private long refreshedInPlace;
  private long refreshedByReopening;
  private volatile boolean closed;
  /** The handle's MBean (its figures are the current generation's), or null. */
  private javax.management.ObjectName mbean;

  private ReadOnlyStore(Storage storage, Path dir, StoreOptions options, ReaderRegistry registry,
      ReaderRegistry.Announcement announcement, StoreDirectory sharedLock) {
    this.storage = storage;
    this.dir = dir;
    this.options = options;
    // One MBean per directory is registered by the writer; read-only generations come and go.
    this.generationOptions = options.toBuilder().jmx(false).build();
    this.registry = registry;
    this.announcement = announcement;
    this.sharedLock = sharedLock;
  }

  static Store open(Storage storage, Path dir, StoreOptions options) {
    try {
      StoreDirectory.openUnlocked(storage, dir).close(); // validates: exists, is a store, format
    } catch (IOException e) {
      throw new StorageException("could not open store directory " + dir + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    }
    ReaderRegistry registry = new ReaderRegistry(dir);
    ReaderRegistry.Announcement announcement = null;
    StoreDirectory sharedLock = null;
    try {
      announcement = registry.announce();
    } catch (IOException e) {
      sharedLock = lockInstead(storage, dir, registry, e);
    }
    ReadOnlyStore store = new ReadOnlyStore(storage, dir, options, registry, announcement, sharedLock);
    try {
      synchronized (store) {
        store.current = store.openGeneration();
        store.live.add(store.current);
      }
      if (options.jmx()) {
        store.mbean = StoreJmx.register(store);
      }
      return store;
    } catch (RuntimeException | Error e) {
      store.close();
      throw e;
    }
  }

  /** The registry cannot be written: hold the shared lock, which no writer can take beside it. */
  private static StoreDirectory lockInstead(Storage storage, Path dir, ReaderRegistry registry, IOException why) {
    try {
      return StoreDirectory.open(storage, dir, true);
    } catch (StoreLockedException e) {
      throw new StoreLockedException(dir, e.getMessage() + ". A read-only handle can share the store with its"
          + " writer only by announcing itself in " + registry.dir() + ", which failed (" + why
          + "); give this user write access to that directory");
    } catch (IOException e) {
      throw new StorageException("could not open store directory " + dir + ": " + e.getMessage(), e,
          StorageErrors.isDiskFull(e));
    }
  }

  /**
   * Lists the segments the writer has not retired, announces them (with those the live generations
   * map), and opens them if the writer retired nothing meanwhile; otherwise tries again.
   */
  private ReaderGeneration openGeneration() {
    RuntimeException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      ReaderRegistry.Listing listing;
      try {
        if (announcement == null) {
          listing = new ReaderRegistry.Listing(0, StoreEntries.scan(storage, dir));
        } else {
          listing = registry.listSteadily(storage, dir, announcement, mappedByLiveGenerations());
        }
      } catch (IOException e) {
        throw new StorageException("could not open store " + dir + " read-only: " + e.getMessage(), e,
            StorageErrors.isDiskFull(e));
      }
      try {
        SettStore store = StoreOpening.openReader(storage, dir, generationOptions, listing.entries());
        ReaderGeneration g = new ReaderGeneration(store, listing.generation(),
            new TreeSet<>(listing.entries().segments), this::retire);
        store.snapshotListener(g);
        return g;
      } catch (StorageException e) {
        if (!(e.getCause() instanceof NoSuchFileException)) {
          throw e;
        }
        last = e; // a file went between the listing and the open (a crashed writer's leftovers)
      }
    }
    throw new StorageException("could not open store " + dir + " read-only: its files kept changing during "
        + ATTEMPTS + " attempts" + (last == null ? "" : " (last: " + last.getMessage() + ")"), last, false);
  }

  /** Every segment a live generation maps: what this handle must keep announcing (the caller holds this). */
  private TreeSet<Integer> mappedByLiveGenerations() {
    TreeSet<Integer> all = new TreeSet<>();
    for (ReaderGeneration g : live) {
      all.addAll(g.ids);
    }
    return all;
  }

  /** The last user of a generation let go: close it, and stop announcing what only it mapped. */
  private void retire(ReaderGeneration g) {
    try {
      g.store.close();
    } finally {
      synchronized (this) {
        live.remove(g);
        if (announcement != null && !closed) {
          TreeSet<Integer> all = mappedByLiveGenerations();
          try {
            announcement.set(all);
          } catch (IOException e) {
            LOG.warn("Could not update {}; the writer keeps {} segment file(s) longer", announcement.file(),
                g.ids.size(), e);
          }
        }
      }
    }
  }

  private ReaderGeneration use() {
    for (;;) {
      ReaderGeneration g = current;
      if (g.tryUse()) {
        return g;
      }
      // A refresh replaced it and its last user left between the two reads: take the new one.
    }
  }

  private <T> T with(Function<SettStore, T> read) {
    ReaderGeneration g = use();
    try {
      return read.apply(g.store);
    } finally {
      g.release();
    }
  }

  private void run(Consumer<SettStore> action) {
    with(s -> {
      action.accept(s);
      return null;
    });
  }

  // ---- refresh ----------------------------------------------------------------------------------

  @Override
  public synchronized void refresh() {
    if (closed) {
      throw new StoreClosedException("the store at " + dir + " is closed; open it again with Sett.open");
    }
    ReaderGeneration old = current;
    if (!changedSince(old)) {
      return;
    }
    if (catchUp(old)) {
      refreshedInPlace++;
      return;
    }
    ReaderGeneration next = openGeneration();
    refreshedByReopening++;
    live.add(next);
    current = next;
    old.release();
  }

  /**
   * Brings {@code g} up to what the writer committed since, in place, if the writer only appended
   * since it was opened (its retired set unchanged, and every segment listed now mapped by
   * {@code g} or newer than all of them): see {@link ReaderCatchUp}. False if a new generation must
   * be opened; the new segments are announced before anything maps them, as for an open.
   */
  private boolean catchUp(ReaderGeneration g) {
    if (announcement == null || g.replaceOnly || g.ids.isEmpty()) {
      return false;
    }
    try {
      ReaderRegistry.Listing listing = registry.listSteadily(storage, dir, announcement, mappedByLiveGenerations());
      TreeSet<Integer> ids = new TreeSet<>(listing.entries().segments);
      if (listing.generation() != g.retiredGeneration || !ids.containsAll(g.ids)) {
        return false;
      }
      List<Integer> added = new ArrayList<>(ids.tailSet(g.ids.last(), false));
      if (added.size() != ids.size() - g.ids.size()) {
        return false; // a segment older than the newest appeared: not an append
      }
      // Segments are numbered one after another and only compaction (checked above) removes one:
      // a gap means a missed segment (see ReaderRegistry.list), so a new generation lists again.
      int expected = g.ids.last() + 1;
      for (int id : added) {
        if (id != expected++) {
          return false;
        }
      }
      boolean done = false;
      try {
        done = g.store.catchUp(added);
        return done;
      } finally {
        g.replaceOnly = !done;
        for (Segment s : g.store.segmentTable().all()) {
          g.ids.add(s.id()); // announced, and mapped now: kept announced while g lives
        }
      }
    } catch (IOException | StorageException e) {
      LOG.debug("Refreshing {} in place failed ({}); opening a new generation", dir, e.toString());
      return false;
    } catch (RuntimeException e) {
      // A new generation's recovery reports damage properly; anything else is worth a look.
      LOG.warn("Refreshing {} in place failed; opening a new generation", dir, e);
      return false;
    }
  }

  /** Whether the writer retired, added or appended anything since {@code g} was opened. */
  private boolean changedSince(ReaderGeneration g) {
    if (announcement == null) {
      return false; // the shared lock excludes writers
    }
    try {
      ReaderRegistry.Retired retired = registry.readRetired();
      if (retired.generation() != g.retiredGeneration) {
        return true;
      }
      List<Integer> ids = StoreEntries.scan(storage, dir).without(retired.ids()).segments;
      if (!new TreeSet<>(ids).equals(g.ids)) {
        return true;
      }
    } catch (IOException e) {
      throw new StorageException("could not refresh " + dir + ": " + e.getMessage(), e, StorageErrors.isDiskFull(e));
    }
    return with(SettStore::newestHasMore);
  }

  // ---- reads ------------------------------------------------------------------------------------

  @Override
  public byte[] get(byte[] key) {
    return with(s -> s.get(key));
  }

  @Override
  public <R> R read(byte[] key, ValueReader<R> reader) {
    return with(s -> s.read(key, reader));
  }

  @Override
  public long readLong(byte[] key, LongValueReader reader, long ifAbsent) {
    // Not through with(): the allocation-free read must not box its result.
    ReaderGeneration g = use();
    try {
      return g.store.readLong(key, reader, ifAbsent);
    } finally {
      g.release();
    }
  }

  @Override
  public boolean contains(byte[] key) {
    return with(s -> s.contains(key));
  }

  @Override
  public Snapshot snapshot() {
    // The generation's listener counts the snapshot as a user until it is closed.
    return with(SettStore::snapshot);
  }

  @Override
  public Transaction beginTransaction() {
    return with(SettStore::beginTransaction);
  }

  @Override
  public Transaction beginReadOnlyTransaction() {
    return with(SettStore::beginReadOnlyTransaction);
  }

  @Override
  public StoreStats stats() {
    return with(SettStore::stats);
  }

  @Override
  public long checkpoint(Path target) {
    return with(s -> s.checkpoint(target));
  }

  KeyLocation locate(byte[] key) {
    return with(s -> s.locate(key));
  }

  /** The generation reads use now (tests). */
  SettStore currentGeneration() {
    return current.store;
  }

  /** How many refreshes were taken in place and how many opened a new generation, for tests. */
  synchronized String refreshCounts() {
    return "in place " + refreshedInPlace + ", by reopening " + refreshedByReopening;
  }

  /** What the current generation was opened from, and what this handle announces (failure reports of tests). */
  synchronized String describeCurrentGeneration() {
    ReaderGeneration g = current;
    String announced;
    try {
      announced = announcement == null ? "(no announcement: shared lock)"
          : java.nio.file.Files.readString(announcement.file()).replace('\n', ' ');
    } catch (IOException e) {
      announced = "(unreadable: " + e + ")";
    }
    return "retired generation " + g.retiredGeneration + ", listed " + g.ids + ", " + live.size()
        + " live generation(s), announced: " + announced;
  }

  /** Generations still open: the current one and those snapshots hold (tests). */
  synchronized int liveGenerations() {
    return live.size();
  }

  // ---- writes: refused by the generation, which is read-only ------------------------------------

  @Override
  public void put(byte[] key, byte[] value) {
    run(s -> s.put(key, value));
  }

  @Override
  public void put(byte[] key, byte[] value, java.time.Duration ttl) {
    run(s -> s.put(key, value, ttl));
  }

  @Override
  public void delete(byte[] key) {
    run(s -> s.delete(key));
  }

  @Override
  public boolean putIfAbsent(byte[] key, byte[] value) {
    return with(s -> s.putIfAbsent(key, value));
  }

  @Override
  public boolean replace(byte[] key, byte[] expected, byte[] value) {
    return with(s -> s.replace(key, expected, value));
  }

  @Override
  public boolean delete(byte[] key, byte[] expected) {
    return with(s -> s.delete(key, expected));
  }

  @Override
  public void write(WriteBatch batch) {
    run(s -> s.write(batch));
  }

  @Override
  public void update(Consumer<Transaction> work) {
    run(s -> s.update(work));
  }

  @Override
  public <R> R compute(Function<Transaction, R> work) {
    return with(s -> s.compute(work));
  }

  @Override
  public void sync() {
    run(SettStore::sync);
  }

  @Override
  public CompactionResult compact(boolean force) {
    return with(s -> s.compact(force));
  }

  @Override
  public List<Integer> compactionPlan(boolean force) {
    return with(s -> s.compactionPlan(force));
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
    List<ReaderGeneration> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(live);
    }
    StoreJmx.unregister(mbean);
    RuntimeException failure = null;
    for (ReaderGeneration g : all) {
      try {
        g.store.close(); // closes its snapshots too, as a store's close always did
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (announcement != null) {
      announcement.close();
    }
    if (sharedLock != null) {
      sharedLock.close();
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "ReadOnlyStore[" + dir + (closed ? ", closed]" : "]");
  }
}
