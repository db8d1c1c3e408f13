package dev.sett.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes segments that stopped taking appends, off the write path: forces each one to disk and
 * then writes its hint file (only after the force, so a hint never describes records that are not
 * on disk).
 *
 * <p>Each store's sealing runs in order, one segment at a time, on a pool of {@value #THREADS} daemon
 * threads every store of the JVM shares ({@code sett-sealer}, gone after {@link #idleMillis} idle):
 * a JVM with hundreds of stores, one per Kafka Streams partition, used to hold a sealer thread per
 * store that was rolling segments. A failed force is reported to the
 * store, which then refuses writes (a failed fsync must not be retried as if nothing happened); a
 * failed hint write only costs a scan at the next open.
 */
final class Sealer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sealer.class);

  private final SegmentFiles files;
  private final Consumer<IOException> onForceFailure;
  private final String threadName;
  private final BackgroundTask task;
  /** The store's directory, as JFR events name it. */
  private final String store;
  private ExecutorService executor;
  private ExecutorService preparer;

  Sealer(SegmentFiles files, Consumer<IOException> onForceFailure) {
    this.files = files;
    this.onForceFailure = onForceFailure;
    this.threadName = "sett-sealer-" + files.dir().getFileName();
    this.task = new BackgroundTask("sealer", files.dir());
    this.store = files.dir().toString();
  }

  BackgroundTask task() {
    return task;
  }

  /** Queues {@code segment} to be forced and given a hint file. The segment is pinned until then. */
  synchronized void seal(Segment segment) {
    if (!segment.tryPin()) {
      return;
    }
    executor().execute(() -> {
      try {
        sealNow(segment);
      } finally {
        segment.unpin();
      }
    });
  }

  /** Forces and writes the hint synchronously; the caller holds a pin. */
  void sealNow(Segment segment) {
    SealEvent event = Jfr.mayRecord() && SealEvent.PROBE.isEnabled() ? new SealEvent() : null;
    // The hint's entries are read now, while the pages are still mapped: the segment takes no more
    // appends, and reading it after the page table entries go would fault every page back in.
    SegmentScan scan;
    try {
      scan = SegmentScan.of(segment, segment.end());
    } catch (RuntimeException | Error e) {
      scan = null; // the force comes first; writeHint(segment) tries again and reports it
    }
    try {
      if (event != null) {
        event.begin();
      }
      segment.dropPageTableEntries();
      segment.force(files.storage());
      if (event != null) {
        event.end(); // the force's time: the hint written below is not part of it
      }
      files.markSealed(segment.id());
    } catch (IOException | RuntimeException | Error e) {
      // Whatever it was, nothing proves the segment reached the disk: the store must refuse writes
      // (with this as the cause) rather than carry on as if it had.
      task.failed(e, "the store refuses writes until it is reopened");
      onForceFailure.accept(e instanceof IOException ? (IOException) e
          : new IOException("sealing " + segment.path() + " failed: " + e, e));
      return;
    }
    if (event != null) {
      event.store = store;
      event.segment = segment.id();
      event.size = segment.size();
      event.commit();
    }
    CrashPoints.hit(CrashPoints.SEAL_FORCED);
    if (scan != null) {
      writeHint(segment, scan);
    } else {
      writeHint(segment);
    }
  }

  /**
   * Writes the hint file of everything in {@code segment} so far; the caller has forced the
   * segment. Also used on close for the active segment: its hint then tells the next open which
   * records were on disk, so damage to them is reported instead of being cut as a torn tail.
   */
  void writeHint(Segment segment) {
    SegmentScan scan;
    try {
      scan = SegmentScan.of(segment, segment.end());
    } catch (RuntimeException | Error e) {
      task.failed(e, "no hint file for " + segment.path() + "; the next open will scan it");
      return;
    }
    writeHint(segment, scan);
  }

  /** {@link #writeHint(Segment)} from a scan of the segment's records made already. */
  private void writeHint(Segment segment, SegmentScan scan) {
    try {
      if (!scan.clean()) {
        LOG.error("Not writing a hint for {}: {} at offset {}", segment.path(), scan.problem, scan.stopOffset);
        return;
      }
      ByteBuffer header = files.readHeader(segment.id());
      long created = SegmentHeader.decode(header).createdMillis();
      files.storage().writeAtomically(files.hintPath(segment.id()),
          HintFile.pieces(segment.id(), created, scan.committedEnd, scan.entries));
      CrashPoints.hit(CrashPoints.SEAL_HINT);
    } catch (IOException | RuntimeException | Error e) {
      task.failed(e, "no hint file for " + segment.path() + "; the next open will scan it");
    }
  }

  /**
   * Runs {@code work} in order with the preparations submitted before it, but not behind the seals:
   * used to prepare the next segment file ahead of the roll that needs it. A roll waits for its
   * prepared file; queued behind the previous segment's force, a store rolling its small first
   * segments in quick succession waited for an fsync at every roll, even under {@code NONE}.
   */
  synchronized java.util.concurrent.Future<?> submit(java.util.concurrent.Callable<?> work) {
    if (preparer == null) {
      task.running(true);
      preparer = new SerialExecutor(POOL, threadName + "-prepare");
    }
    return preparer.submit(() -> {
      try {
        return work.call();
      } catch (Exception | Error e) {
        task.failed(e, "the write that needs it will create the file itself");
        throw e;
      }
    });
  }

  /** Threads the sealers of every store share. */
  static final int THREADS = 4;
  private static final ThreadPoolExecutor POOL;

  static {
    ThreadPoolExecutor e = new ThreadPoolExecutor(THREADS, THREADS, 5_000, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "sett-sealer");
          t.setDaemon(true);
          return t;
        });
    e.allowCoreThreadTimeOut(true);
    POOL = e;
  }

  /** How long a shared sealer thread outlives its last piece of work (tests shorten it). */
  static void idleMillis(long millis) {
    POOL.setKeepAliveTime(millis, TimeUnit.MILLISECONDS);
  }

  static long idleMillis() {
    return POOL.getKeepAliveTime(TimeUnit.MILLISECONDS);
  }

  private ExecutorService executor() {
    if (executor == null) {
      task.running(true);
      // In order, and on a shared thread only while there is work: a store that is not rolling
      // segments holds no thread, and busy ones share a few.
      executor = new SerialExecutor(POOL, threadName);
    }
    return executor;
  }

  /** Waits until every segment queued so far is sealed. */
  void drain() {
    ExecutorService e;
    synchronized (this) {
      e = executor;
    }
    if (e == null) {
      return;
    }
    java.util.concurrent.Future<?> done;
    try {
      done = e.submit(() -> { });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      return; // closing: close() waits for the queue itself
    }
    boolean interrupted = false;
    try {
      for (;;) {
        try {
          done.get();
          return;
        } catch (InterruptedException ie) {
          interrupted = true; // the caller's interrupt is its own business; it is restored below
        } catch (java.util.concurrent.ExecutionException impossible) {
          throw new IllegalStateException(impossible);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for queued work; called on store close. */
  @Override
  public synchronized void close() {
    if (executor == null && preparer == null) {
      return;
    }
    task.running(false);
    boolean interrupted = false;
    for (ExecutorService e : new ExecutorService[] {executor, preparer}) {
      if (e == null) {
        continue;
      }
      e.shutdown();
      for (;;) {
        try {
          if (e.awaitTermination(1, TimeUnit.MINUTES)) {
            break;
          }
          LOG.warn("Still waiting for {} to seal or prepare segments", threadName);
        } catch (InterruptedException ie) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
