package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.SegmentStats;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An open builds the hash index segment by segment in hash order ({@link IndexBuild}) and the
 * ordered keys from every segment's keys: the store it opens must be exactly the store that was
 * closed, including keys whose 32-bit hashes collide, several records of a key in one segment,
 * tombstones, and the liveness figures compaction relies on.
 */
class RecoveryIndexBuildTest {
  private static final StoreOptions SMALL = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();

  @TempDir Path dir;

  /** Pairs of distinct keys with the same {@link KeyHash#hash}, found by a birthday search. */
  private static List<byte[][]> collidingPairs(int wanted) {
    Map<Integer, byte[]> seen = new HashMap<>();
    List<byte[][]> pairs = new ArrayList<>();
    for (int i = 0; pairs.size() < wanted; i++) {
      byte[] key = b("collide-" + i);
      byte[] other = seen.putIfAbsent(KeyHash.hash(key), key);
      if (other != null) {
        pairs.add(new byte[][] {other, key});
      }
    }
    return pairs;
  }

  @Test
  void keysWithCollidingHashesReopenWithTheirOwnValues() {
    List<byte[][]> pairs = collidingPairs(6);
    for (byte[][] p : pairs) {
      assertEquals(KeyHash.hash(p[0]), KeyHash.hash(p[1]));
      assertTrue(!Arrays.equals(p[0], p[1]));
    }
    byte[] filler = new byte[2000];
    try (Store s = Sett.open(dir, SMALL)) {
      for (int i = 0; i < pairs.size(); i++) {
        byte[][] p = pairs.get(i);
        s.put(p[0], b("first-" + i));
        if (i % 2 == 0) {
          // The other key of the pair in a later segment; odd pairs share a segment.
          for (int f = 0; f < 40; f++) {
            s.put(b("fill-" + i + "-" + f), filler);
          }
        }
        s.put(p[1], b("second-" + i));
      }
      s.put(pairs.get(0)[0], b("first-0-again"));
      s.delete(pairs.get(1)[1]);
      s.put(pairs.get(2)[1], b("second-2-again"));
      assertTrue(s.stats().segmentCount() > 3);
    }
    try (Store s = Sett.open(dir, SMALL)) {
      assertArrayEquals(b("first-0-again"), s.get(pairs.get(0)[0]));
      assertArrayEquals(b("second-0"), s.get(pairs.get(0)[1]));
      assertArrayEquals(b("first-1"), s.get(pairs.get(1)[0]));
      assertNull(s.get(pairs.get(1)[1]));
      assertArrayEquals(b("first-2"), s.get(pairs.get(2)[0]));
      assertArrayEquals(b("second-2-again"), s.get(pairs.get(2)[1]));
      for (int i = 3; i < pairs.size(); i++) {
        assertArrayEquals(b("first-" + i), s.get(pairs.get(i)[0]));
        assertArrayEquals(b("second-" + i), s.get(pairs.get(i)[1]));
      }
    }
  }

  /**
   * A random history of puts, overwrites (also of a key twice in one segment) and deletes over many
   * small segments: after a reopen every key reads as in a model, a scan returns each live key
   * once in order, and every segment's liveness figures are what the running store had counted.
   */
  @Test
  void reopenedStoreMatchesTheModelAndTheLiveStoresFigures() {
    Random random = new Random(11);
    TreeMap<String, String> model = new TreeMap<>();
    List<SegmentStats> before;
    long liveBefore;
    try (Store s = Sett.open(dir, SMALL)) {
      for (int op = 0; op < 6000; op++) {
        String key = "key-" + random.nextInt(700);
        int kind = random.nextInt(10);
        if (kind < 7) {
          String value = "v" + op + "-" + "x".repeat(random.nextInt(300));
          s.put(b(key), b(value));
          model.put(key, value);
        } else if (kind < 9) {
          s.delete(b(key));
          model.remove(key);
        } else {
          String value = "batch" + op;
          s.write(new WriteBatch().put(b(key), b("shadowed")).put(b(key), b(value)));
          model.put(key, value);
        }
      }
      before = s.stats().segments();
      liveBefore = s.stats().liveKeys();
    }
    try (Store s = Sett.open(dir, SMALL)) {
      for (int k = 0; k < 700; k++) {
        String key = "key-" + k;
        byte[] got = s.get(b(key));
        if (model.containsKey(key)) {
          assertArrayEquals(b(model.get(key)), got, key);
        } else {
          assertNull(got, key);
        }
      }
      assertEquals(model.size(), s.stats().liveKeys());
      assertEquals(liveBefore, s.stats().liveKeys());
      List<String> scanned = new ArrayList<>();
      try (Snapshot snap = s.snapshot(); Cursor c = snap.scan(KeyRange.all())) {
        while (c.next()) {
          scanned.add(new String(c.key().toByteArray()));
        }
      }
      assertEquals(new ArrayList<>(model.keySet()), scanned);
      List<SegmentStats> after = s.stats().segments();
      assertEquals(before.size(), after.size());
      for (int i = 0; i < before.size(); i++) {
        SegmentStats x = before.get(i);
        SegmentStats y = after.get(i);
        assertEquals(x.id(), y.id());
        assertEquals(x.records(), y.records(), "records of segment " + x.id());
        assertEquals(x.deadRecords(), y.deadRecords(), "dead records of segment " + x.id());
        assertEquals(x.deadBytes(), y.deadBytes(), "dead bytes of segment " + x.id());
        assertEquals(x.tombstones(), y.tombstones(), "tombstones of segment " + x.id());
      }
      // Compaction after the reopen reclaims what the rebuilt figures call dead, and keeps the rest.
      s.compact();
      for (Map.Entry<String, String> e : model.entrySet()) {
        assertArrayEquals(b(e.getValue()), s.get(b(e.getKey())), e.getKey());
      }
    }
    try (Store s = Sett.open(dir, SMALL)) {
      for (int k = 0; k < 700; k++) {
        String key = "key-" + k;
        assertEquals(model.get(key), s.get(b(key)) == null ? null : new String(s.get(b(key))), key);
      }
    }
  }

  /**
   * The table is sized from the hints' headers before any hint is checked: a damaged count (here
   * two billion entries) or a file far larger than its segment must neither size the table from
   * it nor be read whole; the open scans the segment and loses nothing.
   */
  @Test
  void damagedHintHeadersDoNotSizeTheIndexOrGetReadWhole() throws Exception {
    try (Store s = Sett.open(dir, SMALL)) {
      for (int i = 0; i < 400; i++) {
        s.put(b("key-" + i), new byte[500]);
      }
      s.put(b("last"), b("value"));
    }
    List<Path> hints = StoreTestSupport.hintFiles(dir);
    assertTrue(hints.size() >= 2, "hints: " + hints);
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(hints.get(0),
        java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 2_000_000_000), 28);
    }
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(hints.get(1),
        java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.allocate(1), 64L << 20); // a sparse 64 MiB hint for a 64 KiB segment
    }
    try (Store s = Sett.open(dir, SMALL)) {
      for (int i = 0; i < 400; i++) {
        assertEquals(500, s.get(b("key-" + i)).length, "key-" + i);
      }
      assertArrayEquals(b("value"), s.get(b("last")));
      assertTrue(s.stats().indexBytes() < 4L << 20, "index of " + s.stats().indexBytes() + " bytes for 401 keys");
    }
  }

  private static final byte[] KEY = b("k");

  /**
   * A record a hint lists is not read at open, so its key bytes on disk may be damaged: the open
   * must compare keys as the hint lists them, or the damaged newest record becomes a second entry
   * of its key and the older value reads back as if it were current (found by the byte-flip suite).
   */
  @Test
  void aDamagedKeyInAHintedRecordNeverBringsBackAnOlderValue() throws Exception {
    byte[] key = b("the-key-under-test");
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(key, b("OLDEST"));
      for (int i = 0; i < 60; i++) {
        s.put(b("fill-" + i), new byte[2000]);
      }
      s.put(key, b("NEWEST"));
      for (int i = 60; i < 120; i++) {
        s.put(b("fill-" + i), new byte[2000]);
      }
    }
    byte[] needle = new byte[key.length + 6];
    System.arraycopy(key, 0, needle, 0, key.length);
    System.arraycopy(b("NEWEST"), 0, needle, key.length, 6);
    int damaged = 0;
    for (Path seg : StoreTestSupport.segmentFiles(dir)) {
      byte[] bytes = java.nio.file.Files.readAllBytes(seg);
      for (int at = 0; at + needle.length <= bytes.length; at++) {
        if (Arrays.equals(bytes, at, at + needle.length, needle, 0, needle.length)) {
          bytes[at + 3] ^= 0x20; // one bit of the key, inside the newest record
          java.nio.file.Files.write(seg, bytes);
          damaged++;
          break;
        }
      }
    }
    assertEquals(1, damaged, "the newest record was found once");
    StoreOptions verifying = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false)
        .verifyChecksums(true).build();
    try (Store s = Sett.open(dir, verifying)) {
      byte[] got;
      try {
        got = s.get(key);
      } catch (dev.sett.api.CorruptionException e) {
        return; // detected: the newest record is damaged
      }
      assertTrue(got == null || !Arrays.equals(b("OLDEST"), got), "the older value came back as current");
    }
  }

  @Test
  void radixSortOrdersByUnsignedHashAndKeepsTheOrderOfEqualHashes() {
    IndexBuild build = new IndexBuild();
    Random random = new Random(5);
    int[] hashes = new int[50_000];
    for (int round = 0; round < 2; round++) {
      build.clear();
      for (int i = 0; i < hashes.length; i++) {
        // Few distinct values in the low bits, negative ones included, so that ties are common.
        hashes[i] = random.nextInt(4) == 0 ? Integer.MIN_VALUE + random.nextInt(8) : random.nextInt(2000) << 20;
        build.add(hashes[i], i & 0xFF, i * 8, i, SegmentFormat.TYPE_PUT, 40, KEY, 0, KEY.length);
      }
      long[] sorted = build.sortedByHash();
      assertEquals(hashes.length, build.size());
      boolean[] seen = new boolean[hashes.length];
      for (int i = 0; i < build.size(); i++) {
        int r = IndexBuild.recordOf(sorted[i]);
        assertEquals(hashes[r], IndexBuild.hashOf(sorted[i]));
        assertEquals(r * 8, build.offset(r));
        seen[r] = true;
        if (i > 0) {
          int c = Integer.compareUnsigned(IndexBuild.hashOf(sorted[i - 1]), IndexBuild.hashOf(sorted[i]));
          assertTrue(c < 0 || c == 0 && IndexBuild.recordOf(sorted[i - 1]) < r, "order at " + i);
        }
      }
      for (boolean b : seen) {
        assertTrue(b);
      }
    }
  }
}
