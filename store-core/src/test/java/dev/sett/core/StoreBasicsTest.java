package dev.sett.core;

import static dev.sett.core.StoreTestSupport.assertNothingMapped;
import static dev.sett.core.StoreTestSupport.assertValue;
import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import dev.sett.api.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreBasicsTest {
  @TempDir Path dir;

  private Store open() {
    return Sett.open(dir, StoreOptions.builder().segmentSize(64 << 10).build());
  }

  @Test
  void openCreatesMissingDirectoryAndMarker() throws Exception {
    Path nested = dir.resolve("a/b/store");
    try (Store s = Sett.open(nested)) {
      assertEquals(nested, s.directory());
    }
    assertTrue(Files.exists(nested.resolve("sett.store")));
    assertNothingMapped(dir);
  }

  @Test
  void putThenGetReturnsACopyOfTheValue() {
    try (Store s = open()) {
      byte[] value = b("hello");
      s.put(b("k"), value);
      value[0] = 'X';
      byte[] got = s.get(b("k"));
      assertValue("hello", got);
      got[0] = 'Y';
      assertValue("hello", s.get(b("k")));
    }
  }

  /**
   * The store keeps nothing of arrays handed over with putWithoutCopy once the write returns: new
   * keys enter the ordered index as copies, so changing the arrays afterwards changes neither
   * lookups nor scans, in a small batch (written through the mapping) or a large one (staged).
   */
  @Test
  void changingArraysPutWithoutCopyAfterTheWriteChangesNothingStored() {
    for (int records : new int[] {3, 400}) {
      try (Store s = open()) {
        WriteBatch batch = new WriteBatch();
        byte[][] keys = new byte[records][];
        byte[][] values = new byte[records][];
        for (int i = 0; i < records; i++) {
          keys[i] = b(String.format("%s-%04d", records, i));
          values[i] = b("value-" + i + "-" + "v".repeat(100));
          batch.putWithoutCopy(keys[i], values[i]);
        }
        s.write(batch);
        for (int i = 0; i < records; i++) {
          keys[i][0] = 'z';
          values[i][0] = 'z';
        }
        assertValue("value-0-" + "v".repeat(100), s.get(b(String.format("%s-%04d", records, 0))));
        assertNull(s.get(keys[0]));
        try (dev.sett.api.Snapshot snap = s.snapshot();
            dev.sett.api.Cursor c = snap.scan(dev.sett.api.KeyRange.prefix(b(records + "-")))) {
          java.util.List<String> seen = StoreTestSupport.entries(c);
          assertEquals(records, seen.size());
          assertEquals(String.format("%s-%04d", records, 0) + "=value-0-" + "v".repeat(100), seen.get(0));
        }
      }
    }
  }

  @Test
  void getOfAbsentKeyReturnsNull() {
    try (Store s = open()) {
      assertNull(s.get(b("missing")));
      assertFalse(s.contains(b("missing")));
    }
  }

  @Test
  void overwriteReplacesAndDeleteRemoves() {
    try (Store s = open()) {
      s.put(b("k"), b("one"));
      s.put(b("k"), b("two"));
      assertValue("two", s.get(b("k")));
      s.delete(b("k"));
      assertNull(s.get(b("k")));
      assertFalse(s.contains(b("k")));
      s.put(b("k"), b("three"));
      assertValue("three", s.get(b("k")));
    }
  }

  @Test
  void emptyValueIsStoredAndDistinctFromAbsent() {
    try (Store s = open()) {
      s.put(b("k"), new byte[0]);
      assertArrayEquals(new byte[0], s.get(b("k")));
      assertTrue(s.contains(b("k")));
    }
  }

  @Test
  void deletingAnAbsentKeyWritesNothing() {
    try (Store s = open()) {
      s.delete(b("never-written"));
      assertEquals(0, s.stats().lastSequence());
      assertEquals(0, s.stats().dataBytes());
    }
  }

  @Test
  void batchAppliesPutsAndDeletesAndLaterOperationsWin() {
    try (Store s = open()) {
      s.put(b("gone"), b("x"));
      s.write(new WriteBatch().put(b("a"), b("1")).put(b("b"), b("2")).delete(b("gone"))
          .put(b("a"), b("1b")).delete(b("b")).put(b("b"), b("2c")));
      assertValue("1b", s.get(b("a")));
      assertValue("2c", s.get(b("b")));
      assertNull(s.get(b("gone")));
      assertEquals(2, s.stats().lastSequence(), "a batch takes one sequence number");
    }
  }

  @Test
  void writesRollAcrossSegments() {
    try (Store s = open()) {
      byte[] value = new byte[1000];
      for (int i = 0; i < 500; i++) {
        value[0] = (byte) i;
        s.put(b("key" + i), value);
      }
      StoreStats st = s.stats();
      assertTrue(st.segmentCount() > 5, "expected several 64 KiB segments, got " + st.segmentCount());
      for (int i = 0; i < 500; i++) {
        assertEquals((byte) i, s.get(b("key" + i))[0]);
      }
    }
  }

  @Test
  void statsCountLiveAndDeadBytes() {
    try (Store s = open()) {
      s.put(b("a"), new byte[100]);
      s.put(b("b"), new byte[100]);
      s.put(b("a"), new byte[100]);
      s.delete(b("b"));
      StoreStats st = s.stats();
      int record = SegmentFormat.recordSize(1, 100);
      int tombstone = SegmentFormat.recordSize(1, 0);
      assertEquals(1, st.liveKeys());
      assertEquals(record, st.liveBytes());
      assertEquals(2L * record, st.deadBytes(), "the two superseded puts");
      assertEquals(tombstone, st.tombstoneBytes(), "the tombstone still hides b's put");
      assertEquals(3L * record + tombstone, st.dataBytes());
      assertEquals(4, st.lastSequence());
    }
  }

  /**
   * A closed handle may stay referenced (Kafka Streams keeps its closed store objects; so may an
   * application's field): it must not keep its index, tens of bytes per key, on the heap.
   */
  @Test
  void closeReleasesTheIndexOfAHandleThatStaysReferenced() throws Exception {
    SettStore s = (SettStore) Sett.open(dir, StoreOptions.defaults());
    for (int i = 0; i < 50_000; i++) {
      s.put(b("key" + i), b("v" + i));
    }
    assertTrue(s.stats().indexBytes() > 50_000L * 16, "the index holds the keys while open");
    s.close();
    assertTrue(s.hashIndex().table() == HashIndex.RELEASED, "the hash table is released");
    s.orderedKeys().awaitMerges();
    assertEquals(0, s.orderedKeys().memoryBytes(), "the ordered keys are released");
    assertThrows(StoreClosedException.class, () -> s.get(b("key1")));
    try (Store reopened = Sett.open(dir, StoreOptions.defaults())) {
      assertValue("v49999", reopened.get(b("key49999")));
    }
  }

  @Test
  void closeIsIdempotentAndLaterCallsThrowStoreClosed() throws Exception {
    Store s = open();
    s.put(b("k"), b("v"));
    s.close();
    s.close();
    assertThrows(StoreClosedException.class, () -> s.get(b("k")));
    assertThrows(StoreClosedException.class, () -> s.put(b("k"), b("v")));
    assertThrows(StoreClosedException.class, s::snapshot);
    assertThrows(StoreClosedException.class, s::stats);
    assertNothingMapped(dir);
  }

  @Test
  void closeReleasesEveryMappingAndTheLock() throws Exception {
    Store s = open();
    for (int i = 0; i < 200; i++) {
      s.put(b("k" + i), new byte[1000]);
    }
    s.snapshot().get(b("k1")).asByteBuffer();
    s.close();
    assertNothingMapped(dir);
    try (Store again = open()) {
      assertEquals(200, again.stats().liveKeys());
    }
  }
}
