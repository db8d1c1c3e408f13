package dev.sett.api;

import java.time.Instant;
import java.util.List;

/**
 * Who has a store open right now, from {@code Sett.activity}: for operators and inspection tools.
 * Immutable and thread-safe; a snapshot of a moment.
 *
 * @param writerPid        the process id of the writer that has the store open, 0 if a writer has it
 *                         open but its pid is unknown, -1 if no writer has
 * @param readers          the live read-only handles, in any process, that announced themselves
 * @param retiredSegments  segments compaction retired whose files wait for readers to let go
 */
public record StoreActivity(long writerPid, List<Reader> readers, List<Integer> retiredSegments) {
  /**
   * Copies the lists: the record never changes.
   *
   * @param writerPid        the writer's pid, 0 if unknown, -1 if no writer has the store open
   * @param readers          the live read-only handles
   * @param retiredSegments  retired segments whose files wait for readers
   */
  public StoreActivity {
    readers = List.copyOf(readers);
    retiredSegments = List.copyOf(retiredSegments);
  }

  /** {@return whether a writer has the store open} */
  public boolean writerRunning() {
    return writerPid >= 0;
  }

  /**
   * One read-only handle.
   *
   * @param pid       its process id
   * @param opened    when it was opened
   * @param segments  how many segment files it maps (and so keeps from deletion)
   */
  public record Reader(long pid, Instant opened, int segments) {
  }
}
