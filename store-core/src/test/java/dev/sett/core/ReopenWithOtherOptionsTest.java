package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.InvalidInputException;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store reopened with options other than the ones it was written with keeps working: the facts
 * that matter (each segment's size, each record's sizes) are in the files, and the options only
 * shape what is written from then on.
 */
class ReopenWithOtherOptionsTest {
  @TempDir Path dir;

  private static byte[] value(int i, int size) {
    byte[] v = new byte[size];
    Arrays.fill(v, (byte) i);
    return v;
  }

  @Test
  void aStoreWrittenWithLargerSegmentsCompactsAndReadsWithSmallerOnes() {
    StoreOptions large = StoreOptions.builder().segmentSize(1 << 20).autoCompaction(false).build();
    try (Store s = Sett.open(dir, large)) {
      for (int i = 0; i < 10; i++) {
        s.put(b("big" + i), value(i, 300_000));
      }
      for (int i = 0; i < 10; i += 2) {
        s.put(b("big" + i), value(100 + i, 300_000)); // dead records: compaction has work
      }
    }
    StoreOptions small = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();
    try (Store s = Sett.open(dir, small)) {
      s.compact(true); // moves 300 KB records: they need segments larger than 64 KiB
      for (int i = 0; i < 10; i++) {
        assertArrayEquals(value(i % 2 == 0 ? 100 + i : i, 300_000), s.get(b("big" + i)), "big" + i);
      }
      s.put(b("small"), value(7, 1_000));
      assertThrows(InvalidInputException.class, () -> s.put(b("new-big"), value(1, 300_000)),
          "new writes keep to the options they were opened with");
      s.compact(true);
    }
    try (Store s = Sett.open(dir, small)) {
      assertArrayEquals(value(1, 300_000), s.get(b("big1")));
      assertArrayEquals(value(7, 1_000), s.get(b("small")));
    }
    assertTrue(Sett.verify(dir).ok());
  }

  @Test
  void aSmallerKeyLimitStillReadsAndDeletesTheLongerKeysTheStoreHolds() {
    byte[] longKey = new byte[3_000];
    Arrays.fill(longKey, (byte) 'k');
    try (Store s = Sett.open(dir, StoreOptions.builder().maxKeySize(4096).build())) {
      s.put(longKey, b("v"));
      s.put(b("short"), b("w"));
    }
    try (Store s = Sett.open(dir, StoreOptions.builder().maxKeySize(100).build())) {
      assertArrayEquals(b("v"), s.get(longKey));
      assertTrue(s.contains(longKey));
      assertEquals(1, s.read(longKey, ByteView::size));
      try (Snapshot snap = s.snapshot()) {
        assertEquals(1, snap.get(longKey).size());
        int n = 0;
        try (Cursor c = snap.scan(KeyRange.all())) {
          while (c.next()) {
            n++;
          }
        }
        assertEquals(2, n);
      }
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> s.put(longKey, b("x")));
      assertTrue(e.getMessage().contains("maxKeySize"), e.getMessage());
      s.delete(longKey);
      assertNull(s.get(longKey));
      assertFalse(s.contains(longKey));
    }
  }
}
