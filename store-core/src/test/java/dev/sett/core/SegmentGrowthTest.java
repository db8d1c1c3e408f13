package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static dev.sett.core.StoreTestSupport.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.RepairReport;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.VerifyReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments grow: a store starts with 64 KiB segment files and each new one is as large as the
 * store's segments together, up to {@code segmentSize}, so that a small store stays small on disk
 * while a big one still ends up in full-size segments. The rest of the engine reads each file's size
 * from its header; reopening, compaction, verification and repair are checked on grown stores.
 */
class SegmentGrowthTest {
  private static final int KIB = 1 << 10;

  @TempDir Path dir;

  private static byte[] value(int i) {
    byte[] v = new byte[1000];
    byte[] head = ("v" + i + ":").getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, v, 0, head.length);
    return v;
  }

  /** The size each segment file's header records, in id order. */
  private List<Integer> headerSizes() throws IOException {
    List<Integer> sizes = new ArrayList<>();
    for (Path p : segmentFiles(dir)) {
      ByteBuffer raw = FileStorage.INSTANCE.read(p, 0, SegmentFormat.HEADER_SIZE);
      assertEquals(null, SegmentHeader.check(raw), p.toString());
      int size = SegmentHeader.decode(raw).size();
      assertEquals(Files.size(p), size, p + ": a file's length is the size its header records");
      sizes.add(size);
    }
    return sizes;
  }

  private static long fileBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      long total = 0;
      for (Path p : files.toArray(Path[]::new)) {
        total += Files.size(p);
      }
      return total;
    }
  }

  private void awaitPrepared(int id) throws Exception {
    Path prepared = dir.resolve(SegmentFormat.segmentFileName(id) + SegmentFormat.TEMP_SUFFIX);
    for (int i = 0; i < 500 && !Files.exists(prepared); i++) {
      Thread.sleep(10);
    }
    assertTrue(Files.exists(prepared), "segment " + id + " was never prepared");
    Thread.sleep(100); // let the zero-filling finish
  }

  /**
   * Allocated blocks, not file lengths: a sparse file would look small by its length and still
   * fault on a full disk, and a file system may allocate more than the length. Sett writes every
   * byte of a segment when it creates it, so both measures agree here; {@code du} is the one a user
   * looks at, and the length check covers systems without it.
   */
  @Test
  void aStoreHoldingOneKeyTakesLessThanAMebibyte() throws Exception {
    try (Store s = Sett.open(dir)) {
      s.put(b("the-key"), b("the-value"));
      awaitPrepared(2); // the spare segment counts too
      assertEquals(List.of(SegmentSizing.FIRST), headerSizes());
      assertTrue(fileBytes(dir) <= 1 << 20, fileBytes(dir) + " bytes in files while open");
      long allocated = StoreTestSupport.allocatedBytes(dir);
      assertTrue(allocated <= 1 << 20, allocated + " bytes allocated while open");
    }
    long allocated = StoreTestSupport.allocatedBytes(dir);
    assertTrue(fileBytes(dir) <= 1 << 20, fileBytes(dir) + " bytes in files once closed");
    assertTrue(allocated <= 1 << 20, allocated + " bytes allocated once closed");
    try (Store s = Sett.open(dir)) {
      assertArrayEquals(b("the-value"), s.get(b("the-key")));
    }
  }

  @Test
  void segmentsDoubleTheStoreAtEachRollAndStopAtTheSegmentSize() throws Exception {
    StoreOptions options = StoreOptions.builder().segmentSize(1 << 20).autoCompaction(false).build();
    int n = 0;
    try (Store s = Sett.open(dir, options)) {
      while (segmentFiles(dir).size() < 8) {
        s.put(b("k" + n), value(n));
        n++;
      }
    }
    assertEquals(List.of(64 * KIB, 64 * KIB, 128 * KIB, 256 * KIB, 512 * KIB, 1024 * KIB, 1024 * KIB, 1024 * KIB),
        headerSizes());
    try (Store s = Sett.open(dir, options)) {
      for (int i = 0; i < n; i++) {
        assertArrayEquals(value(i), s.get(b("k" + i)), "k" + i);
      }
    }
  }

  @Test
  void aRecordLargerThanTheNextGrowthStepGetsASegmentThatHoldsIt() throws Exception {
    StoreOptions options = StoreOptions.builder().segmentSize(4 << 20).autoCompaction(false).build();
    try (Store s = Sett.open(dir, options)) {
      s.put(b("small"), b("v"));
      s.put(b("big"), new byte[300_000]);
      assertEquals(List.of(64 * KIB, 512 * KIB), headerSizes());
      assertEquals(300_000, s.get(b("big")).length);
    }
  }

  /**
   * Compaction's output goes through the same growth rule: compacting a small store (with the
   * default 64 MiB segment size) leaves it small, with no full-size segment or spare file.
   */
  @Test
  void compactingASmallStoreKeepsItSmall() throws Exception {
    try (Store s = Sett.open(dir, StoreOptions.builder().autoCompaction(false).build())) {
      for (int round = 0; round < 6; round++) {
        for (int i = 0; i < 100; i++) {
          s.put(b("k" + i), value(round * 1000 + i));
        }
      }
      s.compact(true);
      assertTrue(fileBytes(dir) <= 2 << 20, "a store of 100 KB of live data takes " + fileBytes(dir)
          + " bytes after compaction: " + headerSizes());
      for (int i = 0; i < 100; i++) {
        assertArrayEquals(value(5000 + i), s.get(b("k" + i)), "k" + i);
      }
    }
  }

  /** A store of 64 KiB .. 512 KiB segments (1 MiB cap), about half of its records overwritten. */
  private int fillGrownStore(StoreOptions options) {
    int keys = 1200;
    try (Store s = Sett.open(dir, options)) {
      for (int i = 0; i < keys; i++) {
        s.put(b("k" + i), value(i));
      }
      for (int i = 0; i < keys; i += 2) {
        s.put(b("k" + i), value(100_000 + i));
      }
    }
    return keys;
  }

  private static byte[] expected(int i) {
    return value(i % 2 == 0 ? 100_000 + i : i);
  }

  @Test
  void aGrownStoreReopensVerifiesAndCompactsWithEveryValue() throws Exception {
    StoreOptions options = StoreOptions.builder().segmentSize(1 << 20).autoCompaction(false).build();
    int keys = fillGrownStore(options);
    List<Integer> sizes = headerSizes();
    assertTrue(sizes.size() >= 5 && sizes.get(0) == 64 * KIB && sizes.contains(1 << 20), sizes.toString());
    VerifyReport verified = Sett.verify(dir);
    assertTrue(verified.ok(), verified.toString());
    RepairReport repair = Sett.repair(dir, true);
    assertTrue(repair.nothingToDo(), repair.describe());
    try (Store s = Sett.open(dir, options)) {
      for (int i = 0; i < keys; i++) {
        assertArrayEquals(expected(i), s.get(b("k" + i)), "k" + i + " after reopening");
      }
      s.compact(true);
      for (int i = 0; i < keys; i++) {
        assertArrayEquals(expected(i), s.get(b("k" + i)), "k" + i + " after compaction");
      }
    }
    assertTrue(Sett.verify(dir).ok(), Sett.verify(dir).toString());
    try (Store s = Sett.open(dir, options)) {
      for (int i = 0; i < keys; i++) {
        assertArrayEquals(expected(i), s.get(b("k" + i)), "k" + i + " after compaction and reopening");
      }
    }
  }

  @Test
  void repairDropsADamagedRecordInAGrownSegmentAndKeepsTheRest() throws Exception {
    StoreOptions options = StoreOptions.builder().segmentSize(1 << 20).autoCompaction(false).build();
    int keys = fillGrownStore(options);
    Path third = segmentFiles(dir).get(2);
    assertEquals(128 * KIB, Files.size(third));
    // The first record's key starts at 96; its value soon after: one flipped byte breaks its CRC.
    int at = SegmentFormat.HEADER_SIZE + SegmentFormat.RECORD_HEADER_SIZE + 20;
    try (FileChannel ch = FileChannel.open(third, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
      ch.write(one, at);
    }
    VerifyReport damaged = Sett.verify(dir);
    assertFalse(damaged.ok(), "verify missed the damage: " + damaged);
    RepairReport repair = Sett.repair(dir, false);
    assertEquals(1, repair.droppedRecords(), repair.describe());
    byte[] lost = repair.dropped().get(0).keys().get(0);
    assertTrue(Sett.verify(dir).ok(), Sett.verify(dir).toString());
    try (Store s = Sett.open(dir, options)) {
      for (int i = 0; i < keys; i++) {
        byte[] k = b("k" + i);
        if (!java.util.Arrays.equals(k, lost)) {
          assertArrayEquals(expected(i), s.get(k), "k" + i + " after repair");
        } else if (i % 2 != 0) {
          assertNull(s.get(k), "the dropped record was the only version of k" + i);
        }
      }
    }
  }
  /**
   * A store rolling its small first segments in quick succession must not wait for the previous
   * segment's force under {@code NONE}: the next segment's file is prepared on a lane of its own. It
   * was queued behind the seals, so each early roll waited for an fsync (a 2,000-put load of a fresh
   * store took 7 times as long as into a grown one). Here the forces never finish until the writes
   * are done; before, the third roll waited for the first force, forever.
   */
  @Test
  void rollsUnderNoneDoNotWaitForThePreviousSegmentsForce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger heldForces = new AtomicInteger();
    Storage storage = new DelegatingStorage(FileStorage.INSTANCE) {
      @Override
      public void force(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(SegmentFormat.SEGMENT_SUFFIX)) {
          heldForces.incrementAndGet();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        super.force(file);
      }
    };
    Store store = SettStore.open(storage, dir, StoreOptions.builder().syncMode(SyncMode.NONE).build());
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> segments = writer.submit(() -> {
        for (int i = 0; i < 1_500; i++) {
          store.put(b("k" + i), value(i)); // 1.5 MB: segments of 64, 128, 256, 512 KiB and 1 MiB
        }
        return store.stats().segmentCount();
      });
      int count = segments.get(30, TimeUnit.SECONDS);
      assertTrue(count >= 4, count + " segments: the writes did not roll three times");
      assertTrue(heldForces.get() >= 1, "no force was held while the writer rolled");
    } finally {
      release.countDown();
      writer.shutdownNow();
      store.close();
    }
    try (Store reopened = Sett.open(dir, StoreOptions.defaults())) {
      assertEquals(1_500, reopened.stats().liveKeys());
    }
  }
}
