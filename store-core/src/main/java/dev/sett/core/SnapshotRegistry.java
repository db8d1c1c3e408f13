package dev.sett.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open snapshots of a store: which sequence numbers compaction must still honour, which
 * segments a new segment must be pinned for, and the one monitor that makes taking a snapshot and
 * retiring segments exclusive (so a snapshot pins all of a compaction's retirement or none of it).
 *
 * <p>Thread-safe.
 */
final class SnapshotRegistry {
  private final Set<SettSnapshot> open = ConcurrentHashMap.newKeySet();
  /** Told of every snapshot taken and closed (once each); a read-only handle counts its users so. */
  private volatile Listener listener;

  /** Hears of snapshots being taken and closed. Called on the thread that took or closed one. */
  interface Listener {
    void taken();

    void closed();
  }

  void listener(Listener l) {
    this.listener = l;
  }

  /** Creates (inside the monitor, so it sees the segment table whole) and registers a snapshot. */
  SettSnapshot take(java.util.function.Supplier<SettSnapshot> create) {
    synchronized (this) {
      SettSnapshot s = create.get();
      open.add(s);
      Listener l = listener;
      if (l != null) {
        l.taken();
      }
      return s;
    }
  }

  void closed(SettSnapshot s) {
    if (open.remove(s)) {
      Listener l = listener;
      if (l != null) {
        l.closed();
      }
    }
  }

  /** A segment was created: every open snapshot pins it (it may receive versions they need). */
  void segmentAdded(Segment segment) {
    synchronized (this) {
      for (SettSnapshot s : open) {
        s.pinNew(segment);
      }
    }
  }

  /** The sequence number of the oldest open snapshot, or {@code Long.MAX_VALUE}. */
  long oldestSequence() {
    long oldest = Long.MAX_VALUE;
    for (SettSnapshot s : open) {
      oldest = Math.min(oldest, s.sequence());
    }
    return oldest;
  }

  /** The time the oldest open snapshot reads at ({@link SettSnapshot#readTime()}), or {@code Long.MAX_VALUE}. */
  long oldestTime() {
    long oldest = Long.MAX_VALUE;
    for (SettSnapshot s : open) {
      oldest = Math.min(oldest, s.readTime());
    }
    return oldest;
  }

  /** Runs {@code retire} while no snapshot is being taken, so each sees all or none of it. */
  void retireAtomically(Runnable retire) {
    synchronized (this) {
      retire.run();
    }
  }

  int size() {
    return open.size();
  }

  /** Closes every open snapshot (the store is closing). */
  void closeAll() {
    for (SettSnapshot s : open.toArray(new SettSnapshot[0])) {
      s.close();
    }
  }
}
