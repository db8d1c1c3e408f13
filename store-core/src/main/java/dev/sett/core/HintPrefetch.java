package dev.sett.core;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Reads and prepares the hints of an opening store's segments on a second thread, a segment or two
 * ahead of {@link Recovery}, which then only inserts each segment's records into the hash index.
 *
 * <p>Why: an open of a large store is CPU work on one core, and the machines Sett runs on have at
 * least two. Of a 10M-key open's time, about half went to work that depends on nothing but the hint
 * file (reading and checking it, hashing each key, sorting the records by hash, building the
 * segment's run of ordered keys), and half to the inserts, which depend on every earlier segment.
 * The first half is done here, for segment n + 1 while recovery inserts segment n.
 *
 * <p>What is done here changes nothing shared: each segment's result is its own (an
 * {@link IndexBuild} and a hint buffer from a small pool, a {@link KeyRun}, liveness totals), and
 * recovery decides, as before, whether a hint is used at all; a result it does not use is dropped.
 * A failure here (an I/O error, a bug) is handed to recovery with the segment's result, which then
 * reads that hint itself: the helper can make an open faster, never make it fail or differ.
 *
 * <p><b>Lifetime and threading.</b> Made by one open, used by its thread only ({@link #take},
 * {@link #release}); the helper thread ends when every segment is prepared or {@link #close}
 * (always called, also when the open fails) stops it.
 */
final class HintPrefetch implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HintPrefetch.class);
  /**
   * Segments prepared ahead of the one recovery works on, each holding a hint buffer and an index
   * build. One: at ten million keys, two or more made the open slower (0.3 s with four, 0.7 s with
   * eight), each slot being tens of megabytes of memory touched for the first time.
   */
  private static final int AHEAD = 1;

  /**
   * Hint bytes below which an open reads its hints itself: about 100,000 keys, an open of tens of
   * milliseconds, where starting a thread and allocating its buffers costs more than it saves (a
   * test suite opening small stores thousands of times was slower with the helper). Tests lower it.
   */
  static volatile long worthBytes = 4L << 20;

  /**
   * Whether an open of about {@code expectedKeys} keys may spend the memory a helper needs, for hints
   * of at most {@code largestHint} bytes: each slot holds about three times a hint (the bytes, and an
   * index build of its records), and the helper's slots must stay well within the heap left free
   * once the open's hash table (about 24 bytes a key) is allocated, or a store that opened in a small
   * heap before would now fail to.
   */
  static boolean affordable(long largestHint, long expectedKeys) {
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()) - 24 * expectedKeys;
    return (AHEAD + 1) * 3 * largestHint < free / 4;
  }

  /** A hint read and checked, or why it cannot be used; {@code buffer} holds its bytes. */
  record LoadedHint(HintFile.Contents contents, String problem, byte[] buffer) {
  }

  /**
   * Reads segment {@code id}'s hint into {@code buffer} (or a larger one) and checks it against the
   * segment's header.
   */
  static LoadedHint read(SegmentFiles files, int id, SegmentHeader header, byte[] buffer) throws IOException {
    java.nio.file.Path hintPath = files.hintPath(id);
    if (files.storage().size(hintPath) > HintFile.maxSize(header.size())) {
      // Each entry is smaller than the record it lists: a larger file is not this segment's hint,
      // and reading it whole could exhaust the heap.
      return new LoadedHint(null, "larger than any hint of a " + header.size() + "-byte segment", buffer);
    }
    int length = files.storage().readAll(hintPath, buffer);
    if (length > buffer.length) {
      buffer = new byte[length];
      length = files.storage().readAll(hintPath, buffer);
    }
    if (length > buffer.length) {
      return new LoadedHint(null, "it grew while being read", buffer);
    }
    String[] why = new String[1];
    HintFile.Contents hint = HintFile.decode(buffer, length, id, header.createdMillis(), header.size(), why);
    return new LoadedHint(hint, why[0], buffer);
  }

  /** What the helper made of one segment's hint. */
  static final class Prepared {
    final int id;
    /** The header the helper checked the hint against; recovery uses the result only if it read the same. */
    final SegmentHeader header;
    final LoadedHint loaded;
    /** The records (keys in the hint buffer), and their order by hash; null if the hint is not usable. */
    final IndexBuild build;
    final long[] sorted;
    final KeyRun run;
    /** The largest sequence number the hint lists. */
    final long maxSequence;
    private final Tally tally;
    private final Slot slot;
    private boolean released;

    private Prepared(int id, SegmentHeader header, LoadedHint loaded, Slot slot, Tally tally) {
      this.id = id;
      this.header = header;
      this.loaded = loaded;
      this.slot = slot;
      this.tally = tally;
      this.build = tally == null ? null : slot.build;
      this.sorted = build == null ? null : build.sortedByHash();
      this.run = tally == null ? null : tally.run();
      this.maxSequence = tally == null ? 0 : tally.maxSequence;
    }

    /** Applies the liveness totals and expiries to {@code segment}, as recovering each record would. */
    void applyLiveness(Segment segment) {
      segment.liveness().addedAll(tally.records, tally.bytes, tally.tombstones, tally.tombstoneBytes);
      for (int i = 0; i < tally.expiring; i++) {
        segment.liveness().expires(tally.expiringOffsets[i], tally.expiringAt[i], tally.expiringSizes[i]);
      }
    }
  }

  /** A hint buffer and an index build, used by one prepared segment at a time. */
  private static final class Slot {
    byte[] buffer = new byte[0];
    final IndexBuild build = new IndexBuild();
  }

  private final SegmentFiles files;
  private final List<Integer> ids;
  private final Map<Integer, CompletableFuture<Prepared>> results = new HashMap<>();
  private final Map<Integer, Integer> positions = new HashMap<>();
  private final BlockingQueue<Slot> free = new ArrayBlockingQueue<>(AHEAD + 1);
  private final Thread thread;
  private volatile boolean closed;
  private int taken;

  /**
   * A helper for the hinted segments among {@code ids} (in order), or null where it would not pay:
   * fewer than two hints, under {@link #worthBytes} of them (a small store's open takes
   * milliseconds, and a thread and its buffers would cost more than they save), or no room in the
   * heap ({@link #affordable}).
   */
  static HintPrefetch startIfWorthIt(SegmentFiles files, List<Integer> ids, java.util.Set<Integer> hints,
      long expectedKeys) {
    List<Integer> hinted = new java.util.ArrayList<>();
    long largestHint = 0;
    long hintBytes = 0;
    for (int id : ids) {
      if (hints.contains(id)) {
        hinted.add(id);
        try {
          long size = files.storage().size(files.hintPath(id));
          largestHint = Math.max(largestHint, size);
          hintBytes += size;
        } catch (IOException e) {
          // Reported where recovery reads the hint, as before there was a helper.
        }
      }
    }
    return hinted.size() >= 2 && hintBytes >= worthBytes && affordable(largestHint, expectedKeys)
        ? new HintPrefetch(files, hinted) : null;
  }

  /** Helpers started in this JVM (tests check that an open they expect to be helped was). */
  static final java.util.concurrent.atomic.AtomicLong STARTED = new java.util.concurrent.atomic.AtomicLong();

  /** Starts preparing the hints of segments {@code ids}, in that order (recovery's order). */
  HintPrefetch(SegmentFiles files, List<Integer> ids) {
    STARTED.incrementAndGet();
    this.files = files;
    this.ids = List.copyOf(ids);
    for (int i = 0; i <= AHEAD; i++) {
      free.add(new Slot());
    }
    for (int i = 0; i < this.ids.size(); i++) {
      results.put(this.ids.get(i), new CompletableFuture<>());
      positions.put(this.ids.get(i), i);
    }
    thread = new Thread(this::prepareAll, "sett-open-hints");
    thread.setDaemon(true);
    thread.start();
  }

  private void prepareAll() {
    for (int id : ids) {
      CompletableFuture<Prepared> result = results.get(id);
      Slot slot = null;
      try {
        slot = closed ? null : free.take();
      } catch (InterruptedException e) {
        // close(): cancel this and the rest
      }
      if (slot == null) {
        result.cancel(false);
        continue;
      }
      try {
        result.complete(prepare(id, slot));
      } catch (IOException | RuntimeException | Error e) {
        free.add(slot);
        result.completeExceptionally(e);
      }
    }
  }

  private Prepared prepare(int id, Slot slot) throws IOException {
    java.nio.ByteBuffer raw = files.readSteadyHeader(id);
    if (SegmentHeader.check(raw) != null) {
      return new Prepared(id, null, null, slot, null); // recovery reports it
    }
    SegmentHeader header = SegmentHeader.decode(raw);
    LoadedHint loaded = read(files, id, header, slot.buffer);
    slot.buffer = loaded.buffer();
    HintFile.Contents hint = loaded.contents();
    if (hint == null) {
      return new Prepared(id, header, loaded, slot, null);
    }
    slot.build.clear();
    Tally tally = new Tally(slot.build, hint.keyOrdered(), hint.count());
    hint.forEach(tally);
    return new Prepared(id, header, loaded, slot, tally);
  }

  /**
   * Goes through one hint's entries as recovery would: each record into the index build, its key
   * into the segment's run, and the totals the segment's liveness counts.
   */
  private static final class Tally implements HintFile.EntryVisitor {
    private final IndexBuild build;
    private final KeyRun.Builder sortedRun;
    private final byte[][] unsorted;
    private int unsortedCount;
    long records;
    long bytes;
    long tombstones;
    long tombstoneBytes;
    long maxSequence;
    int[] expiringOffsets = new int[0];
    long[] expiringAt = new long[0];
    int[] expiringSizes = new int[0];
    int expiring;

    Tally(IndexBuild build, boolean keyOrdered, int count) {
      this.build = build;
      this.sortedRun = keyOrdered ? new KeyRun.Builder(count) : null;
      this.unsorted = keyOrdered ? null : new byte[count][];
    }

    @Override
    public void visit(int offset, int bodyLength, long sequence, byte type, byte flags, byte[] buf, int keyOffset,
        int keyLength, long expiresAt) {
      int size = SegmentFormat.recordSize(keyLength, bodyLength);
      long h64 = KeyHash.hash64(buf, keyOffset, keyLength);
      build.add(KeyHash.fold(h64), KeyHash.fingerprint(h64), offset, sequence, type, size, buf, keyOffset, keyLength);
      records++;
      bytes += size;
      if (type == SegmentFormat.TYPE_DELETE) {
        tombstones++;
        tombstoneBytes += size;
      }
      maxSequence = Math.max(maxSequence, sequence);
      if (expiresAt != SegmentFormat.NEVER) {
        if (expiring == expiringOffsets.length) {
          int grown = Math.max(16, 2 * expiring);
          expiringOffsets = Arrays.copyOf(expiringOffsets, grown);
          expiringAt = Arrays.copyOf(expiringAt, grown);
          expiringSizes = Arrays.copyOf(expiringSizes, grown);
        }
        expiringOffsets[expiring] = offset;
        expiringAt[expiring] = expiresAt;
        expiringSizes[expiring] = size;
        expiring++;
      }
      if (sortedRun != null) {
        if (!sortedRun.endsWith(buf, keyOffset, keyLength)) {
          sortedRun.add(buf, keyOffset, keyLength); // a segment holding several records of a key lists it several times
        }
      } else {
        unsorted[unsortedCount++] = Arrays.copyOfRange(buf, keyOffset, keyOffset + keyLength);
      }
    }

    KeyRun run() {
      return sortedRun != null ? sortedRun.build() : KeyRuns.ofUnsorted(unsorted, unsortedCount);
    }
  }

  /**
   * The helper's result for segment {@code id}, waiting for it, or null if {@code id} was not given
   * or is behind the segments already taken, or the helper failed on it other than by an I/O error
   * (a bug: logged, and recovery reads the hint itself). Results of earlier segments not taken or
   * not released yet are released first: recovery goes through segments in order.
   *
   * @throws IOException the helper's I/O error on this segment, as recovery's own read would have
   *     thrown it
   */
  Prepared take(int id) throws IOException {
    Integer at = positions.get(id);
    if (at == null || at < taken) {
      return null;
    }
    while (taken < at) {
      releaseResult(results.get(ids.get(taken++)));
    }
    taken++;
    try {
      return results.get(id).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (java.util.concurrent.CancellationException e) {
      return null;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      LOG.warn("Preparing the hint of segment {} failed; reading it without help", id, e.getCause());
      return null;
    }
  }

  private void releaseResult(CompletableFuture<Prepared> result) {
    try {
      release(result.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
      // nothing was held
    }
  }

  /** Recovery is done with {@code p} (null: nothing); its buffer and index build go back to the helper. */
  void release(Prepared p) {
    if (p != null && !p.released) {
      p.released = true;
      free.add(p.slot);
    }
  }

  /** Stops the helper and waits for it; idempotent. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    boolean interrupted = false;
    for (;;) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
