package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.StorageException;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.VerifyReport;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large batches, which the writer gathers and writes to the segment file with positional writes
 * instead of through the mapping ({@link StagedAppends}): their records must be laid out exactly
 * as mapped appends lay them out (aligned, padded with zeros), survive a reopen and a seal, and a
 * failed write must fail the store without leaving any part of the batch visible.
 */
class StagedAppendsTest {
  private static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(1 << 20).build();

  @TempDir
  Path dir;

  /**
   * Keys and values of every length parity, empty values, deletes and expiring puts, in batches
   * below the staging size, just over it and over several staging chunks, mixed with single puts:
   * what every way of writing leaves must read back the same before and after a reopen, and the
   * segments must scan cleanly (a record's padding left out shifts every later record, which only a
   * scan notices: reads go by the index's exact offsets).
   */
  @Test
  void largeBatchesReadBackAfterReopenAndTheirSegmentsScanCleanly() {
    Map<String, byte[]> model = new LinkedHashMap<>();
    Random random = new Random(7);
    int[] batchBytes = {4 << 10, Writer.STAGED_BATCH_BYTES + 1, 200 << 10, StagedAppends.CHUNK * 3};
    try (Store s = Sett.open(dir, OPTIONS.toBuilder().syncMode(SyncMode.NONE).build())) {
      int n = 0;
      for (int round = 0; round < 6; round++) {
        for (int target : batchBytes) {
          WriteBatch b = new WriteBatch();
          int bytes = 0;
          while (bytes < target) {
            String key = "k" + n++ + "-" + "x".repeat(random.nextInt(9));
            int kind = random.nextInt(20);
            if (kind == 0 && !model.isEmpty()) {
              String old = model.keySet().iterator().next();
              b.delete(old.getBytes(StandardCharsets.UTF_8));
              model.remove(old);
              bytes += 40;
              continue;
            }
            byte[] value = value(random, kind == 1 ? 0 : 1 + random.nextInt(3000));
            if (kind == 2) {
              b.put(key.getBytes(StandardCharsets.UTF_8), value, java.time.Duration.ofDays(1));
            } else {
              b.put(key.getBytes(StandardCharsets.UTF_8), value);
            }
            model.put(key, value);
            bytes += 40 + key.length() + value.length;
          }
          s.write(b);
          String single = "single-" + n++;
          byte[] v = value(random, random.nextInt(50));
          s.put(single.getBytes(StandardCharsets.UTF_8), v);
          model.put(single, v);
        }
      }
      assertHolds(s, model);
    }
    try (Store s = Sett.open(dir, OPTIONS)) {
      assertHolds(s, model);
    }
    VerifyReport report = Sett.verify(dir);
    assertTrue(report.ok(), report.toString());
    assertTrue(report.segments() > 1, "the test must seal segments: " + report);
  }

  /**
   * A batch over one staging chunk whose first positional write, made while its records are still
   * being appended, fails part way: the store refuses writes from then on, and a reopen (with a
   * healthy disk) finds everything written before the batch and nothing of it.
   */
  @Test
  void aChunkWriteFailingMidBatchFailsTheStoreAndNoPartOfTheBatchSurvivesAReopen() throws Exception {
    assertFailedStagedWriteLeavesNothing(StagedAppends.CHUNK + (64 << 10), 1);
  }

  /**
   * The same when the failing write is the batch's last, after a whole chunk of it has reached the
   * file: that chunk has no commit record, so the reopen must cut it.
   */
  @Test
  void aLastWriteFailingAfterAWrittenChunkLeavesNoPartOfTheBatchAfterAReopen() throws Exception {
    assertFailedStagedWriteLeavesNothing(StagedAppends.CHUNK + (64 << 10), 2);
  }

  /** The same for a batch written in one positional write. */
  @Test
  void theOnlyWriteOfASmallStagedBatchFailingLeavesNoPartOfIt() throws Exception {
    assertFailedStagedWriteLeavesNothing(Writer.STAGED_BATCH_BYTES + (8 << 10), 1);
  }

  private void assertFailedStagedWriteLeavesNothing(int batchBytes, int failingWrite) throws Exception {
    MemoryStorage disk = new MemoryStorage();
    AtomicInteger segmentWrites = new AtomicInteger(-1);
    Storage failing = new DelegatingStorage(disk) {
      @Override
      public void writeAt(Path file, long offset, ByteBuffer data) throws IOException {
        // A batch's writes, not the sealer's 44-byte seal marks.
        boolean batchWrite = file.getFileName().toString().endsWith(".seg") && data.remaining() > SegmentFormat.HEADER_SIZE;
        if (batchWrite && segmentWrites.get() >= 0 && segmentWrites.incrementAndGet() == failingWrite) {
          // Half of the bytes arrive, as when a write fails part way.
          ByteBuffer half = data.duplicate();
          half.limit(half.position() + half.remaining() / 2);
          super.writeAt(file, offset, half);
          throw new IOException("injected I/O error: positional write " + failingWrite + " of a staged batch");
        }
        super.writeAt(file, offset, data);
      }
    };
    Random random = new Random(11);
    Map<String, byte[]> model = new LinkedHashMap<>();
    WriteBatch batch = new WriteBatch();
    int bytes = 0;
    for (int i = 0; bytes < batchBytes; i++) {
      byte[] v = value(random, 500 + random.nextInt(1500));
      batch.put(("batch-" + i).getBytes(StandardCharsets.UTF_8), v);
      bytes += v.length + 50;
    }
    try (Store s = SettStore.open(failing, dir, OPTIONS.toBuilder().syncMode(SyncMode.ALWAYS).build())) {
      for (int i = 0; i < 50; i++) {
        byte[] v = value(random, 100);
        s.put(("before-" + i).getBytes(StandardCharsets.UTF_8), v);
        model.put("before-" + i, v);
      }
      segmentWrites.set(0);
      StorageException e = assertThrows(StorageException.class, () -> s.write(batch));
      assertTrue(String.valueOf(e.getCause()).contains("injected I/O error"), String.valueOf(e));
      assertNull(s.get("batch-0".getBytes(StandardCharsets.UTF_8)), "a failed batch must not be visible");
      assertThrows(StorageException.class, () -> s.put("after".getBytes(StandardCharsets.UTF_8), new byte[1]),
          "what reached the file is unknown: the store must refuse writes until reopened");
    }
    try (Store s = SettStore.open(disk, dir, OPTIONS)) {
      assertHolds(s, model);
      for (WriteBatch.Op op : batch.operations()) {
        assertNull(s.get(op.key()), "part of the failed batch came back: " + new String(op.key(), StandardCharsets.UTF_8));
      }
      s.write(batch); // the reopened store writes the same batch whole
      assertArrayEquals(batch.operations().get(0).value(), s.get("batch-0".getBytes(StandardCharsets.UTF_8)));
    }
    try (Store s = SettStore.open(disk, dir, OPTIONS)) {
      assertEquals(batch.size() + model.size(), s.stats().liveKeys());
    }
  }

  /**
   * Buffers go back to a shared pool when their batch ends and at most four are kept, however many
   * batches were staged at once: a buffer per thread would pin 256 KiB of native memory for every
   * virtual thread that ever wrote a large batch.
   */
  @Test
  void stagingBuffersAreReturnedAndAtMostFourAreKept() throws Exception {
    MemoryStorage disk = new MemoryStorage();
    Path file = dir.resolve("f");
    disk.createFilled(file, ByteBuffer.allocate(SegmentFormat.HEADER_SIZE), 1 << 20);
    java.util.List<StagedAppends> open = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      open.add(new StagedAppends(disk, file, SegmentFormat.HEADER_SIZE));
    }
    assertTrue(StagedAppends.pooled() == 0, "ten batches at once took every kept buffer: " + StagedAppends.pooled());
    for (StagedAppends st : open) {
      st.put(new byte[] {1, 2, 3}, 0, 3);
      st.finish();
      st.release();
      st.release(); // idempotent: a buffer is never given back twice
    }
    assertEquals(4, StagedAppends.pooled());
    StagedAppends again = new StagedAppends(disk, file, SegmentFormat.HEADER_SIZE);
    assertEquals(3, StagedAppends.pooled(), "a new batch takes a kept buffer");
    again.put(new byte[] {9}, 0, 1); // a reused buffer starts empty
    assertEquals(SegmentFormat.HEADER_SIZE + 1, again.end());
    again.release();
  }

  private static void assertHolds(Store s, Map<String, byte[]> model) {
    for (Map.Entry<String, byte[]> e : model.entrySet()) {
      assertArrayEquals(e.getValue(), s.get(e.getKey().getBytes(StandardCharsets.UTF_8)), e.getKey());
    }
    assertEquals(model.size(), s.stats().liveKeys());
  }

  private static byte[] value(Random random, int length) {
    byte[] v = new byte[length];
    random.nextBytes(v);
    return v;
  }
}
