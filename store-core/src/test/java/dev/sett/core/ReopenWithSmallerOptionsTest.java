package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.CompactionResult;
import dev.sett.api.InvalidInputException;
import dev.sett.api.SegmentStats;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store reopened with smaller options than it was written with: a smaller segment size, a smaller
 * key limit. Every existing record can still be read and compacted (compaction rolls to a segment
 * large enough for a record bigger than the new segment size), and a smaller key limit restricts
 * new writes only.
 */
class ReopenWithSmallerOptionsTest {
  private static final int MIB = 1 << 20;

  @TempDir Path dir;

  private static byte[] filled(int size, int seed) {
    byte[] v = new byte[size];
    Arrays.fill(v, (byte) seed);
    return v;
  }

  private static StoreOptions.Builder manual() {
    return StoreOptions.builder().autoCompaction(false);
  }

  /** A store of 1 MiB segments holding a 600 KiB value and 40 small keys, half of them overwritten. */
  private void createWithBigValue() {
    try (Store s = Sett.open(dir, manual().segmentSize(MIB).build())) {
      s.put(b("big"), filled(600 << 10, 7));
      for (int i = 0; i < 40; i++) {
        s.put(b("k" + i), filled(1000, i));
      }
      for (int i = 0; i < 20; i++) {
        s.put(b("k" + i), filled(1000, 100 + i));
      }
    }
  }

  private static void assertAllValues(Store s) {
    assertArrayEquals(filled(600 << 10, 7), s.get(b("big")));
    for (int i = 0; i < 40; i++) {
      assertArrayEquals(filled(1000, i < 20 ? 100 + i : i), s.get(b("k" + i)), "k" + i);
    }
  }


  @Test
  void compactionAfterReopeningWithASmallerSegmentSizeCopiesARecordLargerThanTheNewSegments() {
    createWithBigValue();
    try (Store s = Sett.open(dir, manual().segmentSize(64 << 10).build())) {
      CompactionResult r = s.compact(true);
      assertEquals(1, r.segmentsCompacted(), r.toString());
      assertAllValues(s);
      for (SegmentStats seg : s.stats().segments()) {
        assertTrue(seg.sizeBytes() >= 64 << 10, seg.toString());
      }
    }
    assertTrue(Sett.verify(dir).ok(), () -> Sett.verify(dir).problems().toString());
    try (Store s = Sett.open(dir, manual().segmentSize(64 << 10).build())) {
      assertAllValues(s);
      s.compact(true);
      assertAllValues(s);
    }
  }

  @Test
  void backgroundCompactionKeepsGoingAfterReopeningWithASmallerSegmentSize() throws Exception {
    createWithBigValue();
    StoreOptions small = StoreOptions.builder().segmentSize(64 << 10).compactionTrigger(0.01, 1)
        .compactionInclude(0.01, 1).build();
    try (Store s = Sett.open(dir, small)) {
      s.put(b("k39"), filled(1000, 39)); // makes segment 1 a little deader: the trigger is 1%
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (s.stats().segments().stream().anyMatch(seg -> seg.id() == 1)) {
        assertTrue(System.nanoTime() < deadline, "background compaction never took segment 1: "
            + s.stats().segments());
        Thread.sleep(20);
      }
      assertAllValues(s);
      // And it is still running: a later overwrite is compacted too.
      long runs = s.stats().compactionsRun();
      for (int i = 0; i < 40; i++) {
        s.put(b("k" + i), filled(1000, i < 20 ? 100 + i : i));
      }
      while (s.stats().compactionsRun() == runs) {
        assertTrue(System.nanoTime() < deadline, "background compaction stopped after " + runs + " run(s)");
        Thread.sleep(20);
      }
      assertAllValues(s);
    }
  }

  @Test
  void keysLongerThanANewSmallerKeyLimitCanStillBeReadAndDeletedButNotWritten() {
    byte[] longKey = filled(5000, 'L');
    byte[] otherLong = filled(5000, 'M');
    try (Store s = Sett.open(dir, manual().maxKeySize(8000).build())) {
      s.put(longKey, b("long"));
      s.put(otherLong, b("other"));
    }
    try (Store s = Sett.open(dir, manual().build())) { // maxKeySize 4096, the default
      assertArrayEquals(b("long"), s.get(longKey));
      assertTrue(s.contains(longKey));
      assertEquals(4L, s.readLong(longKey, v -> v.size(), -1));
      assertNull(s.get(filled(6000, 'L')), "any key up to the remembered 8000 bytes may be looked up");
      try (Snapshot snap = s.snapshot()) {
        ByteView v = snap.get(longKey);
        assertNotNull(v);
        assertArrayEquals(b("long"), v.toByteArray());
      }
      assertNotNull(Sett.locate(s, longKey));
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> s.put(longKey, b("new")));
      assertTrue(e.getMessage().contains("over the limit of 4096"), e.getMessage());
      assertThrows(InvalidInputException.class, () -> s.write(new WriteBatch().put(otherLong, b("x"))));
      assertThrows(InvalidInputException.class, () -> s.get(filled(8001, 'L')),
          "a key longer than any the store was written with is still bad input");
      s.delete(longKey);
      s.write(new WriteBatch().delete(otherLong));
      assertFalse(s.contains(longKey));
      assertFalse(s.contains(otherLong));
    }
    try (Store s = Sett.open(dir, manual().readOnly(true).build())) {
      assertNull(s.get(longKey));
    }
  }
}
