package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CompactionJournalTest {
  private static final int SIZE = 64 << 10;

  private final SegmentTable table = new SegmentTable();
  private final KeyIndex index = new KeyIndex(table, 16);
  private long sequence;

  private Segment segment(int id) {
    Segment s = new Segment(id, Path.of(id + ".seg"), new HeapRegion(new byte[SIZE], SIZE), SegmentFormat.HEADER_SIZE,
        Segment::unmap);
    table.add(s);
    return s;
  }

  /** Appends a record of {@code key} to {@code s} and makes it the key's newest, as the writer does. */
  private int write(Segment s, String key, boolean delete) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    int h = KeyHash.hash(k);
    byte type = delete ? SegmentFormat.TYPE_DELETE : SegmentFormat.TYPE_PUT;
    long previous = index.find(k, h);
    int off = s.append(type, SegmentFormat.FLAG_COMMIT, k, delete ? null : new byte[20], ++sequence, previous);
    index.update(k, h, Position.of(s.id(), off), type, s.recordSize(off));
    return off;
  }

  private int versions(String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return index.versions(k, KeyHash.hash(k));
  }

  @Test
  void anUndoneRunCountsEveryDroppedRecordAgainSoATombstoneStaysWhileItsOlderValueDoes() {
    Segment victim = segment(1);
    Segment newer = segment(2);
    int[] old = new int[50];
    for (int i = 0; i < old.length; i++) {
      old[i] = write(victim, "key" + i, false);
    }
    int[] latest = new int[old.length];
    for (int i = 0; i < old.length; i++) {
      latest[i] = write(newer, "key" + i, i % 2 == 0); // even keys deleted, odd ones overwritten
    }
    CompactionJournal journal = new CompactionJournal(index);
    for (int i = 0; i < old.length; i++) {
      byte[] k = ("key" + i).getBytes(StandardCharsets.UTF_8);
      journal.dropped(k, KeyHash.hash(k), victim, old[i]);
      assertEquals(1, versions("key" + i), "the run counts as if the victim were gone");
    }
    assertTrue(newer.liveness().isDead(latest[0]), "a tombstone left alone is dead while the run goes on");
    journal.undo();
    for (int i = 0; i < old.length; i++) {
      assertEquals(2, versions("key" + i), "key" + i + ": the victim stays, so its record counts again");
    }
  }

  @Test
  void droppingAKeysOlderRecordMarksItsNewestDeadOnlyIfThatIsATombstone() {
    Segment victim = segment(1);
    Segment newer = segment(2);
    int put = write(victim, "deleted", false);
    int put2 = write(victim, "kept", false);
    int tombstone = write(newer, "deleted", true);
    int value = write(newer, "kept", false);
    assertFalse(newer.liveness().isDead(tombstone), "the tombstone shadows an older value");
    CompactionJournal journal = new CompactionJournal(index);
    byte[] d = "deleted".getBytes(StandardCharsets.UTF_8);
    byte[] k = "kept".getBytes(StandardCharsets.UTF_8);
    journal.dropped(d, KeyHash.hash(d), victim, put);
    journal.dropped(k, KeyHash.hash(k), victim, put2);
    assertTrue(newer.liveness().isDead(tombstone), "nothing older left: the tombstone may go");
    assertFalse(newer.liveness().isDead(value), "a put stays live");
  }

  private long find(String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return index.find(k, KeyHash.hash(k));
  }

  @Test
  void anUndoneRunCountsEachCopiedOriginalAgainAndMarksItDeadReadingItFromItsVictim() {
    Segment victim = segment(1);
    Segment target = segment(2);
    int[] originals = new int[30];
    int[] copies = new int[originals.length];
    CompactionJournal journal = new CompactionJournal(index);
    for (int i = 0; i < originals.length; i++) {
      originals[i] = write(victim, "key" + i, false);
    }
    for (int i = 0; i < originals.length; i++) {
      byte[] k = ("key" + i).getBytes(StandardCharsets.UTF_8);
      copies[i] = target.append(SegmentFormat.TYPE_PUT, SegmentFormat.FLAG_COMMIT, k, new byte[20], i + 1,
          Position.NONE);
      journal.moved(k, KeyHash.hash(k), victim, originals[i], Position.of(target.id(), copies[i]),
          SegmentFormat.TYPE_PUT, victim.recordSize(originals[i]), false, SegmentFormat.NEVER);
      assertEquals(Position.of(target.id(), copies[i]), find("key" + i), "the index points at the copy");
      assertEquals(1, versions("key" + i), "a copy replaces its original");
    }
    journal.undo();
    for (int i = 0; i < originals.length; i++) {
      assertEquals(2, versions("key" + i), "key" + i + ": the original stays beside its copy");
      assertTrue(victim.liveness().isDead(originals[i]), "key" + i + ": the original is dead");
      assertFalse(target.liveness().isDead(copies[i]), "key" + i + ": the copy is the live record");
    }
  }

  @Test
  void aCommitTakesTheKeysOfLeftTombstonesAndExpiredPutsOutOfTheIndexReadingThemFromTheirVictims() {
    Segment first = segment(1);
    Segment second = segment(2);
    int tombstone = write(first, "gone", true);
    int expired = write(second, "expired", false);
    int kept = write(second, "kept", false);
    CompactionJournal journal = new CompactionJournal(index);
    journal.removeTombstone(first, tombstone);
    journal.removeExpired(second, expired);
    assertEquals(Position.of(1, tombstone), find("gone"), "nothing leaves the index before the commit");
    journal.commit();
    assertEquals(Position.NONE, find("gone"));
    assertEquals(Position.NONE, find("expired"));
    assertEquals(Position.of(2, kept), find("kept"));
  }
}
