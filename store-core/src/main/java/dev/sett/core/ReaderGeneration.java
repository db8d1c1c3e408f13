package dev.sett.core;

import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One opened view of a store for a {@link ReadOnlyStore}: a {@link SettStore} over the segment
 * files the handle announced, with the writer's retired-set generation it was opened at. Closed by
 * the handle when its last user lets go: the handle itself while it is current, every read in
 * progress and every open snapshot.
 *
 * <p>Thread-safe use counting; {@link #ids} and {@link #replaceOnly} are guarded by the handle.
 */
final class ReaderGeneration implements SnapshotRegistry.Listener {
  final SettStore store;
  final long retiredGeneration;
  /** The segment ids it maps (grows when a refresh catches up in place). */
  final TreeSet<Integer> ids;
  /** The handle's reference while current, plus one per read in progress and open snapshot. */
  final AtomicInteger users = new AtomicInteger(1);
  /**
   * Set when a catch-up stopped part-way: what it indexed stays invisible, but the segment ends it
   * moved would make a second catch-up skip records, so this generation is only ever replaced.
   */
  boolean replaceOnly;
  private final Consumer<ReaderGeneration> lastUserGone;

  ReaderGeneration(SettStore store, long retiredGeneration, TreeSet<Integer> ids,
      Consumer<ReaderGeneration> lastUserGone) {
    this.store = store;
    this.retiredGeneration = retiredGeneration;
    this.ids = ids;
    this.lastUserGone = lastUserGone;
  }

  /** Takes a use, unless the last one already went (then the caller takes the handle's new current). */
  boolean tryUse() {
    return RefCounts.incrementIfLive(users);
  }

  void release() {
    if (users.decrementAndGet() == 0) {
      lastUserGone.accept(this);
    }
  }

  @Override
  public void taken() {
    users.incrementAndGet(); // the caller of snapshot() holds a use, so this never revives it
  }

  @Override
  public void closed() {
    release();
  }
}
