package dev.sett.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What one compaction run changed in the index before its victims were retired, so that a run
 * that fails half-way (a full disk when it rolls, a damaged record in a later victim, a failed
 * force) leaves the index's accounting exactly as the files on disk are.
 *
 * <p>The index counts each key's records on disk, and a tombstone may be dropped only when it is
 * its key's last record. A run changes the counts as if its victims were already gone: a dropped
 * record is no longer counted, and a copied record replaces its original. If the victims then stay
 * (the run failed), both assumptions are false: {@link #undo} counts the dropped records again and
 * counts each copy's original as the extra record it now is (marking it dead, since the index points
 * at the copy). Dropping a tombstone takes its key out of the index, which cannot be undone
 * simply; so those removals are only {@link #removeTombstone recorded} and carried out by
 * {@link #commit} once the victims are out of the segment table.
 *
 * <p>Not thread-safe: used by the one running compaction, under the store's write lock.
 */
final class CompactionJournal {
  private final KeyIndex index;
  /**
   * The victims the recorded records lie in, numbered in the order they were first named. Each
   * record is kept as {@code (victim number << 32) | offset}, not as its key and an entry object:
   * a large run handles hundreds of thousands of records, and entries that lived until the run
   * ended were copied by every young collection meanwhile and then promoted, old-generation garbage
   * (in a Kafka Streams count workload, two fifths of all the bytes promoted). What {@link #undo}
   * and {@link #commit} need of a record (its key, type and size) they read again from its victim,
   * which is still mapped and in the segment table when either runs.
   */
  private final List<Segment> victims = new ArrayList<>();
  /** Superseded records left behind: no longer counted among their keys' records. */
  private final VictimRecords dropped = new VictimRecords();
  /** Records copied forward: the index points at each copy. */
  private final VictimRecords copied = new VictimRecords();
  /** Tombstones and expired puts left behind, whose keys leave the index at {@link #commit}. */
  private final VictimRecords removed = new VictimRecords();

  /** A growing list of packed {@code (victim number << 32) | offset} values. */
  private static final class VictimRecords {
    private long[] packed = new long[64];
    private int count;

    void add(long record) {
      if (count == packed.length) {
        packed = java.util.Arrays.copyOf(packed, count * 2);
      }
      packed[count++] = record;
    }
  }

  CompactionJournal(KeyIndex index) {
    this.index = index;
  }

  /** {@code offset} of {@code victim}, packed with the victim's number in this journal. */
  private long record(Segment victim, int offset) {
    int last = victims.size() - 1;
    if (last < 0 || victims.get(last) != victim) {
      last = victims.lastIndexOf(victim);
      if (last < 0) {
        victims.add(victim);
        last = victims.size() - 1;
      }
    }
    return ((long) last << 32) | (offset & 0xFFFF_FFFFL);
  }

  private Segment victim(long record) {
    return victims.get((int) (record >>> 32));
  }

  private static int offset(long record) {
    return (int) record;
  }

  /** A superseded record of {@code key}, at {@code offset} of {@code victim}, is left behind. */
  void dropped(byte[] key, int hash, Segment victim, int offset) {
    index.dropped(key, hash);
    dropped.add(record(victim, offset));
  }

  /** The newest record of {@code key} was copied from {@code victim} at {@code offset} to {@code to}. */
  void moved(byte[] key, int hash, Segment victim, int offset, long to, byte type, int size, boolean dead,
      long expiresAt) {
    index.moved(hash, Position.of(victim.id(), offset), to, type, size, dead, expiresAt);
    copied.add(record(victim, offset));
  }

  /**
   * The tombstone at {@code offset} of {@code victim}, which shadows nothing, is left behind; its
   * key leaves the index at {@link #commit}.
   */
  void removeTombstone(Segment victim, int offset) {
    removed.add(record(victim, offset));
  }

  /**
   * The expired put at {@code offset} of {@code victim}, its key's only record, is left behind; its
   * key leaves the index at {@link #commit}.
   */
  void removeExpired(Segment victim, int offset) {
    removed.add(record(victim, offset));
  }

  /**
   * The victims are leaving the segment table (the caller holds the write lock): takes the keys of
   * the dropped tombstones and expired records out of the index. One that a write superseded
   * meanwhile is just one record fewer of its key.
   */
  void commit() {
    for (int i = 0; i < removed.count; i++) {
      long r = removed.packed[i];
      Segment victim = victim(r);
      int offset = offset(r);
      byte[] key = victim.copyKey(offset);
      int hash = KeyHash.hash(key);
      // The record's own type: a tombstone's is DELETE, an expired record's PUT.
      if (!index.removeKey(key, hash, Position.of(victim.id(), offset), victim.type(offset))) {
        index.dropped(key, hash);
      }
    }
    clear();
  }

  /** The run failed and its victims stay (the caller holds the write lock): see the class comment. */
  void undo() {
    for (int i = 0; i < dropped.count; i++) {
      long r = dropped.packed[i];
      byte[] key = victim(r).copyKey(offset(r));
      index.addVersion(key, KeyHash.hash(key));
    }
    for (int i = 0; i < copied.count; i++) {
      long r = copied.packed[i];
      Segment victim = victim(r);
      int offset = offset(r);
      byte[] key = victim.copyKey(offset);
      index.addVersion(key, KeyHash.hash(key));
      victim.liveness().markDead(offset, victim.type(offset), victim.recordSize(offset));
    }
    clear();
  }

  private void clear() {
    victims.clear();
    dropped.count = 0;
    copied.count = 0;
    removed.count = 0;
  }
}
