package dev.sett.core;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the files of retired segments in ascending id order, each once nothing can reach it.
 *
 * <p>Why the order matters: compaction may drop a tombstone once its key's older records were
 * dropped. Those older records always sit in segments with smaller ids than the tombstone's, so
 * deleting files in id order means a crash between two deletions can never leave an old value on
 * disk without the tombstone that hides it. A segment whose last pin goes early (no snapshot held it)
 * therefore waits for every smaller retired id to be deleted first.
 *
 * <p>Thread-safe: disposal happens on whichever thread drops the last pin.
 */
final class RetiredSegments {
  private static final Logger LOG = LoggerFactory.getLogger(RetiredSegments.class);

  private final SegmentFiles files;
  private final TreeSet<Integer> pending = new TreeSet<>();
  private final Set<Integer> unreachable = new HashSet<>();

  RetiredSegments(SegmentFiles files) {
    this.files = files;
  }

  /** Compaction retired {@code id}: its file goes once it is unreachable and all smaller ones went. */
  synchronized void retired(int id) {
    pending.add(id);
  }

  /** The last pin of a retired segment went. */
  synchronized void unreachable(int id) {
    unreachable.add(id);
    while (!pending.isEmpty() && unreachable.contains(pending.first())) {
      int next = pending.first();
      try {
        files.delete(next);
      } catch (IOException e) {
        // Keep it first in line: deleting a larger id now would break the order. Retried when the
        // next retired segment becomes unreachable, or left for compaction after a reopen.
        LOG.warn("Could not delete retired segment {}", files.segmentPath(next), e);
        return;
      }
      pending.pollFirst();
      unreachable.remove(next);
      CrashPoints.hit(CrashPoints.COMPACTION_DELETED);
    }
  }
}
