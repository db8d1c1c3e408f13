package dev.sett.core;

import static dev.sett.core.StoreTestSupport.hintFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scans see exactly the live keys, in order, through every way the ordered key set is built: puts
 * and batches (new keys, overwrites, deletes, a key repeated inside a batch), compaction, reopening
 * from key-ordered (version 2) hints, and reopening a store whose hints are version 1.
 */
class OrderedScanTest {
  @TempDir Path dir;

  private static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();

  private static byte[] key(int i) {
    return ByteBuffer.allocate(5).put((byte) (i % 3 == 0 ? 0x90 : 0x10)).putInt(i * 7919).array();
  }

  private static void assertScans(Store s, TreeMap<byte[], byte[]> model, String when) {
    try (Snapshot snap = s.snapshot()) {
      for (boolean reverse : new boolean[] {false, true}) {
        List<Map.Entry<byte[], byte[]>> expected = new ArrayList<>(reverse ? model.descendingMap().entrySet() : model.entrySet());
        int i = 0;
        try (Cursor c = snap.scan(reverse ? KeyRange.all().reverse() : KeyRange.all())) {
          while (c.next()) {
            assertTrue(i < expected.size(), when + ": more keys than written");
            assertArrayEquals(expected.get(i).getKey(), c.key().toByteArray(), when + ": key " + i + (reverse ? " (reverse)" : ""));
            assertArrayEquals(expected.get(i).getValue(), c.value().toByteArray(), when + ": value " + i);
            i++;
          }
        }
        assertEquals(expected.size(), i, when + ": keys missing" + (reverse ? " (reverse)" : ""));
      }
      byte[] prefix = {(byte) 0x90};
      long inPrefix = model.keySet().stream().filter(k -> k[0] == (byte) 0x90).count();
      long seen = 0;
      try (Cursor c = snap.scan(KeyRange.prefix(prefix))) {
        while (c.next()) {
          seen++;
        }
      }
      assertEquals(inPrefix, seen, when + ": prefix scan");
    }
  }

  private TreeMap<byte[], byte[]> populate(Store s, Random r) {
    TreeMap<byte[], byte[]> model = new TreeMap<>(OrderedKeys.ORDER);
    for (int round = 0; round < 12; round++) {
      WriteBatch batch = new WriteBatch();
      for (int j = 0; j < 300; j++) {
        int i = r.nextInt(3_000);
        byte[] v = ("v" + round + "-" + j).getBytes();
        if (r.nextInt(5) == 0) {
          batch.delete(key(i));
          model.remove(key(i));
        } else {
          batch.put(key(i), v);
          model.put(key(i), v);
        }
      }
      s.write(batch);
      for (int j = 0; j < 200; j++) {
        int i = r.nextInt(3_000);
        if (r.nextInt(4) == 0) {
          s.delete(key(i));
          model.remove(key(i));
        } else {
          byte[] v = ("p" + round + "-" + j).getBytes();
          s.put(key(i), v);
          model.put(key(i), v);
        }
      }
    }
    return model;
  }

  @Test
  void scansMatchTheWritesThroughCompactionAndReopen() throws Exception {
    TreeMap<byte[], byte[]> model;
    try (Store s = Sett.open(dir, OPTIONS)) {
      model = populate(s, new Random(5));
      assertScans(s, model, "while written");
      s.compact(true);
      assertScans(s, model, "after compaction");
    }
    try (Store s = Sett.open(dir, OPTIONS)) {
      assertScans(s, model, "after reopening");
      ((SettStore) s).orderedKeys().awaitMerges();
      assertScans(s, model, "after the open's runs were merged");
    }
  }

  @Test
  void aStoreWithVersionOneHintsOpensWithEveryKeyInOrder() throws Exception {
    TreeMap<byte[], byte[]> model;
    try (Store s = Sett.open(dir, OPTIONS)) {
      model = populate(s, new Random(9));
    }
    List<Path> hints = hintFiles(dir);
    assertFalse(hints.isEmpty());
    for (Path hint : hints) {
      // Rewritten as Sett before version 2 wrote them: entries in record order.
      byte[] bytes = Files.readAllBytes(hint);
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      int id = b.getInt(12);
      long created = b.getLong(16);
      HintFile.Contents c = HintFile.decode(bytes, id, created, Integer.MAX_VALUE, new String[1]);
      assertNotNull(c, hint + " is not a sound hint");
      assertEquals(HintFile.VERSION, c.version());
      Files.write(hint, HintFile.encode(HintFile.VERSION_1, id, created, c.dataEnd(), c.inRecordOrder()));
    }
    try (Store s = Sett.open(dir, OPTIONS)) {
      assertScans(s, model, "reopened from version-1 hints");
      for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
        assertArrayEquals(e.getValue(), s.get(e.getKey()));
      }
    }
    assertTrue(Sett.verify(dir).ok(), "version-1 hints verify as sound");
  }

  @Test
  void aKeyRepeatedInABatchKeepsItsLastOperation() throws Exception {
    try (Store s = Sett.open(dir, OPTIONS)) {
      s.put(key(1), "old".getBytes());
      WriteBatch batch = new WriteBatch()
          .put(key(2), "a".getBytes())
          .delete(key(1))
          .put(key(3), "b".getBytes())
          .put(key(2), "c".getBytes())
          .put(key(1), "d".getBytes())
          .delete(key(3));
      s.write(batch);
      assertArrayEquals("c".getBytes(), s.get(key(2)));
      assertArrayEquals("d".getBytes(), s.get(key(1)));
      assertEquals(null, s.get(key(3)));
      TreeMap<byte[], byte[]> model = new TreeMap<>(OrderedKeys.ORDER);
      model.put(key(1), "d".getBytes());
      model.put(key(2), "c".getBytes());
      assertScans(s, model, "after the batch");
    }
  }
}
