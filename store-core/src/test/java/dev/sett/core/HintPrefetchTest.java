package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.CorruptionException;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An open whose hints a second thread reads and prepares ({@link HintPrefetch}) must build exactly
 * the store an open that reads every hint itself builds.
 */
class HintPrefetchTest {
  private static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();

  @TempDir
  Path dir;

  private static final long WORTH = HintPrefetch.worthBytes;

  @org.junit.jupiter.api.BeforeEach
  void helpEvenSmallStores() {
    HintPrefetch.worthBytes = 0; // these stores are small: the helper would not be used otherwise
  }

  @AfterEach
  void helpAgain() {
    Recovery.prefetchHints = true;
    HintPrefetch.worthBytes = WORTH;
  }

  /** Many segments, each with a hint: overwrites, deletes, batches, expiring records, and a torn tail. */
  private void writeStore() {
    writeStore(true);
  }

  private void writeStore(boolean ttls) {
    Random random = new Random(17);
    try (Store s = Sett.open(dir, OPTIONS)) {
      for (int i = 0; i < 6_000; i++) {
        byte[] key = ("k" + random.nextInt(2_500)).getBytes(StandardCharsets.UTF_8);
        int kind = random.nextInt(10);
        if (kind == 0) {
          s.delete(key);
        } else if (kind == 1) {
          s.write(new WriteBatch().put(key, value(i, random)).put(("b" + i).getBytes(StandardCharsets.UTF_8),
              value(i, random)));
        } else if (kind == 2 && ttls) {
          s.put(key, value(i, random), Duration.ofDays(1));
        } else {
          s.put(key, value(i, random));
        }
      }
    }
  }

  private static byte[] value(int i, Random random) {
    byte[] v = new byte[20 + random.nextInt(200)];
    ByteBuffer.wrap(v).putInt(i);
    return v;
  }

  /** Everything an open decides: every key and value in order, and the figures compaction uses. */
  private List<String> whatAnOpenBuilds() {
    List<String> out = new ArrayList<>();
    try (Store s = Sett.open(dir, OPTIONS.toBuilder().readOnly(true).build()); Snapshot snap = s.snapshot();
        Cursor c = snap.scan(KeyRange.all())) {
      while (c.next()) {
        out.add(new String(c.key().toByteArray(), StandardCharsets.UTF_8) + "=" + ByteBuffer.wrap(c.value().toByteArray()).getInt());
      }
      StoreStats stats = s.stats();
      out.add("live " + stats.liveKeys() + " " + stats.liveBytes() + " dead " + stats.deadBytes() + " tombstones "
          + stats.tombstoneBytes() + " last " + stats.lastSequence());
      stats.segments().forEach(seg -> out.add(seg.toString()));
      // What each segment's liveness knows of its expiring records: all of them expired, far ahead.
      for (Segment seg : ((ReadOnlyStore) s).currentGeneration().segmentTable().all()) {
        seg.liveness().refreshExpired(Long.MAX_VALUE - 1);
        out.add("segment " + seg.id() + " expiring bytes " + seg.liveness().expiredBytes());
      }
    }
    return out;
  }

  @Test
  void aHelpedOpenBuildsWhatAnOpenReadingEveryHintBuilds() throws IOException {
    writeStore();
    long hints;
    try (var files = Files.list(dir)) {
      hints = files.filter(p -> p.toString().endsWith(SegmentFormat.HINT_SUFFIX)).count();
    }
    assertTrue(hints > 10, "the store has many hinted segments: " + hints);
    long helpers = HintPrefetch.STARTED.get();
    List<String> helped = whatAnOpenBuilds();
    assertEquals(helpers + 1, HintPrefetch.STARTED.get(), "the open was helped");
    Recovery.prefetchHints = false;
    List<String> alone = whatAnOpenBuilds();
    assertEquals(helpers + 1, HintPrefetch.STARTED.get(), "and the other was not");
    assertTrue(helped.size() > 1_000, "the store holds keys: " + helped.size());
    assertEquals(alone, helped);
  }

  @Test
  void versionOneHintsInRecordOrderArePreparedAsAnUnhelpedOpenReadsThem() throws IOException {
    writeStore(false);
    List<Path> hints;
    try (var files = Files.list(dir)) {
      hints = files.filter(p -> p.toString().endsWith(SegmentFormat.HINT_SUFFIX)).toList();
    }
    for (Path hint : hints) {
      byte[] bytes = Files.readAllBytes(hint);
      ByteBuffer b = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      int id = b.getInt(12);
      long created = b.getLong(16);
      HintFile.Contents c = HintFile.decode(bytes, id, created, Integer.MAX_VALUE, new String[1]);
      Files.write(hint, HintFile.encode(HintFile.VERSION_1, id, created, c.dataEnd(), c.inRecordOrder()));
    }
    List<String> helped = whatAnOpenBuilds();
    Recovery.prefetchHints = false;
    assertEquals(whatAnOpenBuilds(), helped);
  }

  @Test
  void aDamagedHintAmongPreparedOnesIsIgnoredAndItsSegmentScanned() throws IOException {
    writeStore();
    List<String> before = whatAnOpenBuilds();
    List<Path> hints;
    try (var files = Files.list(dir)) {
      hints = files.filter(p -> p.toString().endsWith(SegmentFormat.HINT_SUFFIX)).sorted().toList();
    }
    Path victim = hints.get(hints.size() / 2);
    byte[] bytes = Files.readAllBytes(victim);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(victim, bytes);
    assertEquals(before, whatAnOpenBuilds());
  }

  @Test
  void aFailedOpenLeavesNoHelperThreadBehind() throws IOException {
    writeStore();
    List<Path> segments;
    try (var files = Files.list(dir)) {
      segments = files.filter(p -> p.toString().endsWith(SegmentFormat.SEGMENT_SUFFIX)).sorted().toList();
    }
    // A sealed segment in the middle with a broken header: the open stops there, with hints of
    // later segments prepared or being prepared.
    Path victim = segments.get(segments.size() / 3);
    byte[] bytes = Files.readAllBytes(victim);
    bytes[SegmentFormat.H_ID] ^= 0x01;
    Files.write(victim, bytes);
    assertThrows(CorruptionException.class, () -> Sett.open(dir, OPTIONS).close());
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      assertFalse(t.getName().equals("sett-open-hints") && t.isAlive(), "the helper thread is still there");
    }
  }

  @Test
  void keysFromPreparedRunsScanInOrderAfterTheRunsMerge() throws Exception {
    writeStore();
    try (Store s = Sett.open(dir, OPTIONS)) {
      ((SettStore) s).orderedKeys().awaitMerges();
      byte[] previous = null;
      try (Snapshot snap = s.snapshot(); Cursor c = snap.scan(KeyRange.all())) {
        while (c.next()) {
          byte[] k = c.key().toByteArray();
          assertTrue(previous == null || java.util.Arrays.compareUnsigned(previous, k) < 0, "keys in order, each once");
          previous = k;
        }
      }
      assertArrayEquals(previous, lastKey(s));
    }
  }

  private static byte[] lastKey(Store s) {
    try (Snapshot snap = s.snapshot(); Cursor c = snap.scan(KeyRange.all().reverse())) {
      return c.next() ? c.key().toByteArray() : null;
    }
  }

  @Test
  void aSmallStoreOpensWithoutAHelper() {
    HintPrefetch.worthBytes = WORTH;
    writeStore();
    long helpers = HintPrefetch.STARTED.get();
    whatAnOpenBuilds();
    assertEquals(helpers, HintPrefetch.STARTED.get(), "a store with under 4 MiB of hints opens on one thread");
  }

  @Test
  void theHelperIsLeftOutWhereTheHeapCouldNotHoldItsBuffersBesideTheIndex() {
    long max = Runtime.getRuntime().maxMemory();
    assertTrue(HintPrefetch.affordable(1 << 20, 1_000));
    assertFalse(HintPrefetch.affordable(max / 8, 1_000), "hints as large as an eighth of the heap");
    assertFalse(HintPrefetch.affordable(1 << 20, max / 24), "an index that takes the whole heap");
  }
}
