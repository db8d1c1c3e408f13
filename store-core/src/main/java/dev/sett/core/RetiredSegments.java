package dev.sett.core;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the files of retired segments in ascending id order, each once nothing can reach it: no
 * pin in this process, and no read-only handle in any process ({@link ReaderRegistry}).
 *
 * <p>Why the order matters: compaction may drop a tombstone once its key's older records were
 * dropped. Those older records always sit in segments with smaller ids than the tombstone's, so
 * deleting files in id order means a crash between two deletions can never leave an old value on
 * disk without the tombstone that hides it. A segment whose last pin goes early (no snapshot held it)
 * therefore waits for every smaller retired id to be deleted first.
 *
 * <p>Before any deletion the retired set is published to readers (a new generation of
 * {@value ReaderRegistry#RETIRED}); a deletion a reader holds up is tried again every
 * {@value ReaderRegistry#RECHECK_MILLIS} ms on a timer thread the JVM's stores share, never by
 * making the writer wait. After {@link #close} nothing is deleted: the files stay, and the next
 * writable open takes them back as ordinary segments for compaction to reclaim.
 *
 * <p>Thread-safe: disposal happens on whichever thread drops the last pin.
 */
final class RetiredSegments {
  private static final Logger LOG = LoggerFactory.getLogger(RetiredSegments.class);

  private final SegmentFiles files;
  private final ReaderRegistry readers;
  private final TreeSet<Integer> pending = new TreeSet<>();
  private final Set<Integer> unreachable = new HashSet<>();
  /** Retired ids not yet published to readers: none of them may be deleted before. */
  private boolean unpublished;
  private boolean recheckScheduled;
  private boolean closed;

  RetiredSegments(SegmentFiles files, ReaderRegistry readers) {
    this.files = files;
    this.readers = readers;
  }

  /** Compaction retired {@code id}: its file goes once it is unreachable and all smaller ones went. */
  synchronized void retired(int id) {
    pending.add(id);
    unpublished = true;
  }

  /** The last pin of a retired segment went. */
  synchronized void unreachable(int id) {
    unreachable.add(id);
    deleteWhatIsFree();
  }

  /** Stops deleting: what is still pending stays on disk for the next writable open. */
  synchronized void close() {
    closed = true;
  }

  /** Ids retired and not yet deleted (tests, stats). */
  synchronized Set<Integer> pending() {
    return new TreeSet<>(pending);
  }

  private void deleteWhatIsFree() {
    if (closed || pending.isEmpty() || !unreachable.contains(pending.first())) {
      return;
    }
    boolean deleted = false;
    try {
      if (unpublished) {
        readers.publish(pending);
        unpublished = false;
      }
      while (!pending.isEmpty() && unreachable.contains(pending.first())) {
        int next = pending.first();
        if (readers.mappedByAReader(next)) {
          scheduleRecheck();
          break;
        }
        files.delete(next);
        deleted = true;
        pending.pollFirst();
        unreachable.remove(next);
        CrashPoints.hit(CrashPoints.COMPACTION_DELETED);
      }
      if (deleted) {
        // Not needed for safety (a deleted file is not listed any more); keeps the set short.
        readers.publish(pending);
      }
    } catch (IOException e) {
      // Keep it first in line: deleting a larger id now would break the order. Retried when the
      // next retired segment becomes unreachable, at the next recheck, or left for compaction after
      // a reopen.
      LOG.warn("Could not delete retired segment {}", files.segmentPath(pending.first()), e);
      scheduleRecheck();
    }
  }

  private void scheduleRecheck() {
    if (recheckScheduled || closed) {
      return;
    }
    recheckScheduled = true;
    Rechecks.EXECUTOR.schedule(() -> {
      synchronized (this) {
        recheckScheduled = false;
        deleteWhatIsFree();
      }
    }, ReaderRegistry.RECHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The one timer thread of the JVM that retries deletions readers held up; never runs user code. */
  private static final class Rechecks {
    static final ScheduledExecutorService EXECUTOR;

    static {
      ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "sett-reader-recheck");
        t.setDaemon(true);
        return t;
      });
      e.setKeepAliveTime(10, TimeUnit.SECONDS);
      e.allowCoreThreadTimeOut(true);
      EXECUTOR = e;
    }
  }
}
