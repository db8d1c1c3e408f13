package dev.sett.core;

import dev.sett.api.KeyRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys in unsigned lexicographic order, for range scans: a log-structured set in memory.
 *
 * <p>New keys go into a small copy-on-write B-tree, the {@link DeltaKeys delta} (a few thousand
 * keys, so an insert stays in cache). A full delta is frozen and a background merge turns it into
 * a {@link KeyRun}, a packed sorted array, and merges runs of similar size (each run at least
 * {@value #RATIO} times the total of the runs after it), so a store holds a handful of runs whose
 * sizes fall geometrically. A scan merges the delta, frozen deltas and runs. Opening a store builds
 * one run straight from each segment's keys (already in key order in version-2 hint files) instead
 * of inserting keys one by one, and merges them in the background; a key with records in several
 * segments sits in several runs until then (scans and merges take each key once).
 *
 * <p>Point reads never use this structure; it changes only when a key is first written or finally
 * dropped, not on overwrites. A dropped key leaves the delta at once and is marked dead in a run;
 * merges leave dead keys out.
 *
 * <p><b>Threading.</b> {@link #add} and {@link #remove} are called by the store's writer only (or
 * by recovery before the store is published); scans run from any thread, and merges run on one
 * daemon thread shared by every store of the JVM ({@code sett-key-merge}). Iteration is weakly
 * consistent; a scan resolves each key against its snapshot, so a key added after the snapshot is
 * filtered out there, and a key seen twice (dropped, then written again) is returned once.
 */
final class OrderedKeys {
  private static final Logger LOG = LoggerFactory.getLogger(OrderedKeys.class);
  static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;
  /** Heap bytes per delta entry beside the key bytes: a leaf slot (with slack) and the array header. */
  static final int DELTA_OVERHEAD_PER_KEY = 28;
  /**
   * Runs merge while the older one is at most this many times the newer ones together. Two, not
   * four: with four, each key of a bulk load was rewritten about ten times on its way into the
   * largest run (eight to ten merges at 3M to 10M keys, against five to seven with two), and the
   * merge thread took as much CPU as the writer; scans merge about one run more on average.
   */
  static final int RATIO = 2;
  /** More runs than this are merged into one whatever their sizes: scans merge every run. */
  static final int MAX_RUNS = 8;

  private static final ExecutorService MERGES;

  static {
    ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "sett-key-merge");
      t.setDaemon(true);
      return t;
    });
    e.allowCoreThreadTimeOut(true);
    MERGES = e;
  }

  /** What a scan reads. Immutable apart from the live delta and runs' dead marks. */
  private static final class Levels {
    final DeltaKeys delta;
    /** Frozen deltas, newest first; no longer added to. */
    final List<DeltaKeys> frozen;
    final long frozenMemory;
    /** Runs, oldest (largest) first. */
    final List<KeyRun> runs;

    Levels(DeltaKeys delta, List<DeltaKeys> frozen, long frozenMemory,
        List<KeyRun> runs) {
      this.delta = delta;
      this.frozen = frozen;
      this.frozenMemory = frozenMemory;
      this.runs = runs;
    }
  }

  private final int deltaLimit;
  private volatile Levels levels = new Levels(new DeltaKeys(), List.of(), 0, List.of());
  // Writer only.
  private int deltaSize;
  private long deltaKeyBytes;
  // Guarded by this.
  private boolean mergeScheduled;
  /** Set by {@link #release}: a merge still running then installs nothing. Guarded by this. */
  private boolean released;
  private List<byte[]> removedDuringMerge;
  // Recovery only: keys of the segment being applied, then one run per segment.
  private List<byte[]> bulk;
  private List<KeyRun> bulkRuns;
  /** While a segment's keys arrive in key order: they go straight into its run, copied. */
  private KeyRun.Builder sortedRun;

  OrderedKeys() {
    this(1 << 13);
  }

  OrderedKeys(int deltaLimit) {
    this.deltaLimit = deltaLimit;
  }

  // ---- recovery -------------------------------------------------------------------------------

  /**
   * Until {@link #finishBulk}, added keys are collected per segment instead of inserted; every
   * key of a segment is given, whether or not an earlier segment had it.
   */
  void beginBulk() {
    bulk = new ArrayList<>();
    bulkRuns = new ArrayList<>();
  }

  /**
   * The keys of one segment follow. If {@code keyOrdered}, they come in increasing order and are
   * only borrowed: each is copied into the segment's run as it arrives.
   */
  void beginBulkRun(boolean keyOrdered, int expectedKeys) {
    endBulkRun();
    if (keyOrdered && bulk != null) {
      sortedRun = new KeyRun.Builder(expectedKeys);
    }
  }

  /** Recovery side: a segment's keys, made into a run beforehand (see {@link HintPrefetch}). */
  void addBulkRun(KeyRun run) {
    endBulkRun();
    if (run.size() > 0) {
      bulkRuns.add(run);
    }
  }

  /** The keys added since the last call (one segment's new keys) become a run. */
  void endBulkRun() {
    if (sortedRun != null) {
      if (sortedRun.size() > 0) {
        bulkRuns.add(sortedRun.build());
      }
      sortedRun = null;
    }
    if (bulk == null || bulk.isEmpty()) {
      return;
    }
    byte[][] keys = bulk.toArray(new byte[0][]);
    bulk.clear();
    bulkRuns.add(KeyRuns.ofUnsorted(keys, keys.length));
  }

  /** Publishes the runs recovery built; a background merge joins them. */
  void finishBulk() {
    if (bulk == null) {
      return;
    }
    endBulkRun();
    List<KeyRun> runs = bulkRuns;
    bulk = null;
    bulkRuns = null;
    synchronized (this) {
      Levels l = levels;
      List<KeyRun> all = new ArrayList<>(l.runs);
      all.addAll(runs);
      levels = new Levels(l.delta, l.frozen, l.frozenMemory, List.copyOf(all));
    }
    scheduleMerge();
  }

  // ---- writer ---------------------------------------------------------------------------------

  /**
   * Recovery side: adds {@code length} bytes of {@code src} from {@code from} as a key, copied (the
   * caller's bytes are only borrowed).
   */
  void addFrom(byte[] src, int from, int length) {
    if (sortedRun != null) {
      if (!sortedRun.endsWith(src, from, length)) {
        sortedRun.add(src, from, length); // a segment holding several records of a key lists it several times
      }
      return;
    }
    add(Arrays.copyOfRange(src, from, from + length));
  }

  /** Adds a key that is new to the store; the caller no longer modifies it. Writer side. */
  void add(byte[] key) {
    if (sortedRun != null) {
      addFrom(key, 0, key.length);
      return;
    }
    if (bulk != null) {
      bulk.add(key);
      return;
    }
    if (levels.delta.add(key)) {
      deltaKeyBytes += key.length;
      if (++deltaSize >= deltaLimit) {
        freeze();
      }
    }
  }

  /**
   * Adds keys that are new to the store (the caller no longer modifies them), as one batch: sorted
   * here, then merged into the delta a leaf at a time. Writer side.
   */
  void addAll(List<byte[]> keys) {
    if (keys.isEmpty()) {
      return;
    }
    if (sortedRun != null || bulk != null) {
      keys.forEach(this::add);
      return;
    }
    byte[][] sorted = keys.toArray(new byte[0][]);
    KeySort.sort(sorted, sorted.length);
    if (sorted.length >= OWN_PIECE) {
      addPiece(sorted);
      return;
    }
    DeltaKeys delta = levels.delta;
    int before = delta.size();
    deltaKeyBytes += delta.addSorted(sorted, sorted.length);
    deltaSize += delta.size() - before;
    if (deltaSize >= deltaLimit) {
      freeze();
    }
  }

  /**
   * A batch of at least this many new keys becomes a frozen delta of its own instead of being merged
   * into the live delta: merging a thousand keys into a delta of thousands copied most of its leaves,
   * a sixth of a bulk load's writer time; the background merge joins the pieces.
   */
  static final int OWN_PIECE = 256;

  /** Adds distinct keys, new to the store and sorted, as a frozen delta of their own. */
  private void addPiece(byte[][] sorted) {
    long bytes = 0;
    for (byte[] k : sorted) {
      bytes += k.length;
    }
    DeltaKeys piece = DeltaKeys.ofSorted(sorted, sorted.length);
    synchronized (this) {
      Levels l = levels;
      List<DeltaKeys> frozen = new ArrayList<>(l.frozen.size() + 1);
      frozen.add(piece);
      frozen.addAll(l.frozen);
      levels = new Levels(l.delta, List.copyOf(frozen), l.frozenMemory + bytes
          + (long) DELTA_OVERHEAD_PER_KEY * sorted.length, l.runs);
    }
    scheduleMerge();
  }

  private void freeze() {
    synchronized (this) {
      Levels l = levels;
      List<DeltaKeys> frozen = new ArrayList<>(l.frozen.size() + 1);
      frozen.add(l.delta);
      frozen.addAll(l.frozen);
      long memory = deltaKeyBytes + (long) DELTA_OVERHEAD_PER_KEY * deltaSize;
      levels = new Levels(new DeltaKeys(), List.copyOf(frozen), l.frozenMemory + memory, l.runs);
      deltaSize = 0;
      deltaKeyBytes = 0;
    }
    scheduleMerge();
  }

  /** A key left the store (its last record was dropped). Writer side. */
  void remove(byte[] key) {
    if (bulk != null) {
      throw new IllegalStateException("keys are not removed during recovery");
    }
    synchronized (this) {
      Levels l = levels;
      if (l.delta.remove(key)) {
        deltaSize--;
        deltaKeyBytes -= key.length;
        return;
      }
      for (DeltaKeys f : l.frozen) {
        f.remove(key);
      }
      boolean halfDead = false;
      for (KeyRun r : l.runs) {
        if (r.markDead(key) && 2L * r.deadCount() > r.size()) {
          halfDead = true;
        }
      }
      if (removedDuringMerge != null) {
        removedDuringMerge.add(key);
      }
      if (halfDead) {
        scheduleMerge(); // a run mostly of dropped keys is rewritten without them
      }
    }
  }

  // ---- merging --------------------------------------------------------------------------------

  private synchronized void scheduleMerge() {
    if (!released && !mergeScheduled && mergeWanted(levels)) {
      mergeScheduled = true;
      MERGES.execute(this::mergeLoop);
    }
  }

  private static boolean mergeWanted(Levels l) {
    int from = mergeFrom(l.runs);
    return !l.frozen.isEmpty() || from < l.runs.size() - 1
        || (from >= 0 && l.runs.get(from).deadCount() > 0 && 2L * l.runs.get(from).deadCount() > l.runs.get(from).size());
  }

  /**
   * Where the runs that should be merged into one start: the longest suffix in which each run is
   * smaller than {@value #RATIO} times the runs after it together (a run with many dead keys counts
   * as small), or that starts at a run more than half of whose keys are dead. Everything when there
   * are more than {@value #MAX_RUNS} runs.
   */
  private static int mergeFrom(List<KeyRun> runs) {
    int n = runs.size();
    if (n > MAX_RUNS) {
      return 0;
    }
    int from = n - 1;
    for (int i = 0; i < n; i++) {
      if (2L * runs.get(i).deadCount() > runs.get(i).size()) {
        return i; // from here on, rewritten: the run is mostly dropped keys
      }
    }
    if (n < 2) {
      return from;
    }
    long after = runs.get(from).liveCount();
    while (from > 0 && runs.get(from - 1).liveCount() <= (long) RATIO * after) {
      from--;
      after += runs.get(from).liveCount();
    }
    return from;
  }

  private void mergeLoop() {
    try {
      for (;;) {
        Levels start;
        synchronized (this) {
          start = levels;
          if (released || !mergeWanted(start)) {
            mergeScheduled = false;
            return;
          }
          removedDuringMerge = new ArrayList<>();
        }
        List<KeyRun> runs = new ArrayList<>(start.runs);
        // Deltas frozen while the last merge ran are joined first, into one run: many small runs
        // would otherwise exceed MAX_RUNS and force a merge of everything, the largest run included.
        if (!start.frozen.isEmpty()) {
          runs.add(KeyRuns.of(start.frozen));
        }
        int from = mergeFrom(runs);
        if (from >= 0 && (from < runs.size() - 1 || runs.get(from).deadCount() > 0)) {
          KeyRun merged = KeyRuns.merge(runs.subList(from, runs.size()));
          runs.subList(from, runs.size()).clear();
          runs.add(merged);
        }
        synchronized (this) {
          if (released) {
            mergeScheduled = false;
            removedDuringMerge = null;
            return;
          }
          Levels now = levels;
          for (byte[] k : removedDuringMerge) {
            for (KeyRun r : runs) {
              r.markDead(k);
            }
          }
          removedDuringMerge = null;
          // Deltas frozen while this merge ran stay; the ones it turned into runs go.
          List<DeltaKeys> left = now.frozen.subList(0, now.frozen.size() - start.frozen.size());
          long leftMemory = now.frozenMemory - start.frozenMemory;
          levels = new Levels(now.delta, List.copyOf(left), leftMemory, List.copyOf(runs));
        }
      }
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        mergeScheduled = false;
        removedDuringMerge = null;
      }
      // Scans stay correct without the merge (they read the frozen deltas); the next freeze tries again.
      LOG.warn("Merging ordered keys failed; scans read the unmerged levels", e);
    }
  }

  /**
   * Drops every key, so that a closed store's handle, still referenced, holds no key memory; a merge
   * in progress finishes without installing its result. Writer side, after the last write. Scans
   * already open keep the levels they started with until they are dropped.
   */
  synchronized void release() {
    released = true;
    levels = new Levels(new DeltaKeys(), List.of(), 0, List.of());
    deltaSize = 0;
    deltaKeyBytes = 0;
    bulk = null;
    bulkRuns = null;
    sortedRun = null;
  }

  /** Waits until no merge is pending; for tests and benchmarks. */
  void awaitMerges() throws InterruptedException {
    for (;;) {
      synchronized (this) {
        if (!mergeScheduled) {
          return;
        }
      }
      Thread.sleep(1);
    }
  }

  // ---- figures and scans ------------------------------------------------------------------------

  /** Number of runs scans merge now, the delta and frozen deltas included; for tests. */
  int sources() {
    Levels l = levels;
    return 1 + l.frozen.size() + l.runs.size();
  }

  long memoryBytes() {
    Levels l = levels;
    long sum = deltaKeyBytes + (long) DELTA_OVERHEAD_PER_KEY * Math.max(0, deltaSize) + l.frozenMemory;
    for (KeyRun r : l.runs) {
      sum += r.memoryBytes();
    }
    return sum;
  }

  /** Keys of {@code range} in its direction, each once. */
  Iterator<byte[]> iterate(KeyRange range) {
    Levels l = levels;
    List<MergedKeys.Source> sources = new ArrayList<>(1 + l.frozen.size() + l.runs.size());
    sources.add(MergedKeys.of(l.delta, range));
    for (DeltaKeys f : l.frozen) {
      sources.add(MergedKeys.of(f, range));
    }
    for (KeyRun r : l.runs) {
      sources.add(MergedKeys.of(r, range));
    }
    return new MergedKeys(sources, range.isReverse());
  }
}
