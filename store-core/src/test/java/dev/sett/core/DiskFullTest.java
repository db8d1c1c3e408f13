package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sett.api.Store;
import dev.sett.api.StorageException;
import dev.sett.api.StoreException;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A full disk on every write path: a 1 MiB tmpfs is mounted for each test, filled with a filler
 * file, and the store is driven into it on put, batch, segment roll (with and without a prepared
 * next segment, and into a grown segment), sync, the hint write of a sealed segment, compaction, the open of a new store and
 * of an existing one. Each must fail with a {@link StorageException} whose {@code diskFull()} is
 * true (never an {@link InternalError}, SIGBUS or a dead JVM), the store must stay readable with
 * every acknowledged value, and once the filler is deleted writes must work again, on the same
 * handle where the engine promises it (a failed segment creation changes nothing) and after a
 * reopen, with 0 acknowledged writes lost.
 *
 * <p>Mounting needs root (CAP_SYS_ADMIN); elsewhere every test is skipped by an assumption. CI runs
 * each path at a few fill levels; {@code -Dsett.reliability=long} adds many rounds at random levels.
 */
@Tag("reliability")
class DiskFullTest {
  private static final int SEGMENT = StoreOptions.MIN_SEGMENT_SIZE;
  private static final List<String> FIGURES = new ArrayList<>();
  private static int diskFullErrors;

  private Path mount;
  private Path filler;
  private final List<Store> open = new ArrayList<>();
  private final Map<String, byte[]> acked = new LinkedHashMap<>();
  private int nextKey;

  @BeforeEach
  void mountTmpfs() throws Exception {
    mount = Files.createTempDirectory("sett-diskfull");
    String out = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString());
    if (out != null) {
      Files.delete(mount);
      mount = null;
    }
    assumeTrue(out == null, () -> "mounting a 1 MiB tmpfs is not allowed here (the disk-full suite needs root): " + out);
    filler = mount.resolve("filler");
  }

  @AfterEach
  void unmount() throws Exception {
    for (Store s : open) {
      try {
        s.close();
      } catch (StoreException e) {
        // the test already failed or expected it; the mount must go anyway
      }
    }
    if (mount == null) {
      return;
    }
    ChronicleSupport.releasePending();
    String out = null;
    for (int i = 0; i < 50; i++) {
      out = run("umount", mount.toString());
      if (out == null) {
        break;
      }
      System.gc();
      Thread.sleep(100);
    }
    if (out != null) {
      run("umount", "-l", mount.toString());
    }
    Files.deleteIfExists(mount);
    assertNull(out, "the tmpfs stayed busy (a mapping left?): " + out);
  }

  @AfterAll
  static void record() {
    if (!FIGURES.isEmpty()) {
      ReliabilityScale.record("disk full", String.join("; ", FIGURES) + "; " + diskFullErrors
          + " StorageException(diskFull), 0 InternalError, 0 acknowledged writes lost");
    }
  }

  /** Runs a command; null on success, else its output. */
  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timed out";
    }
    return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out.trim();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Grows the filler until the file system is full, then gives back {@code leaveFree} bytes. */
  private void fill(long leaveFree) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(4096);
    try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      try {
        for (;;) {
          chunk.clear();
          ch.write(chunk);
        }
      } catch (IOException e) {
        assertTrue(StorageErrors.isDiskFull(e), "filling stopped with " + e);
      }
      if (leaveFree > 0) {
        ch.truncate(Math.max(0, ch.size() - leaveFree));
      }
    }
  }

  private static long directorySize(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      long total = 0;
      for (Path p : files.toArray(Path[]::new)) {
        total += Files.size(p);
      }
      return total;
    }
  }

  /** Removes the store directory (closed) so that the next round starts on an empty disk. */
  private void deleteStore() throws IOException {
    ChronicleSupport.releasePending();
    try (Stream<Path> files = Files.walk(mount.resolve("store"))) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toArray(Path[]::new)) {
        Files.delete(p);
      }
    }
    acked.clear();
  }

  private void freeSpace() throws IOException {
    Files.deleteIfExists(filler);
  }

  private Store openStore(SyncMode mode, boolean autoCompaction) {
    return openStore(mode, autoCompaction, SEGMENT);
  }

  private Store openStore(SyncMode mode, boolean autoCompaction, int segmentSize) {
    Store s = Sett.open(mount.resolve("store"), StoreOptions.builder().segmentSize(segmentSize).syncMode(mode)
        .autoCompaction(autoCompaction).build());
    open.add(s);
    return s;
  }

  private void close(Store s) {
    open.remove(s);
    s.close();
  }

  private static byte[] value(int k, int len) {
    byte[] v = new byte[len];
    byte[] head = ("v" + k + "-").getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, v, 0, head.length);
    for (int i = head.length; i < len; i++) {
      v[i] = (byte) (k + i);
    }
    return v;
  }

  private static byte[] key(int k) {
    return ("k" + k).getBytes(StandardCharsets.UTF_8);
  }

  /** Fails unless {@code e} is a disk-full {@link StorageException} with no {@link InternalError} in its causes. */
  private static void assertDiskFull(Throwable e, String what) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InternalError) {
        throw new AssertionError(what + ": a fault in a mapped access (SIGBUS) instead of a clean error", e);
      }
    }
    if (!(e instanceof StorageException) || !((StorageException) e).diskFull()) {
      throw new AssertionError(what + ": expected a StorageException with diskFull() true", e);
    }
    diskFullErrors++;
  }

  /** One write of {@code batchSize} new keys (a put when 1); recorded as acknowledged if it returns. */
  private void writeOne(Store s, int batchSize, int valueLen) {
    Map<String, byte[]> w = new LinkedHashMap<>();
    for (int i = 0; i < batchSize; i++) {
      int k = nextKey++;
      w.put("k" + k, value(k, valueLen));
    }
    if (batchSize == 1) {
      Map.Entry<String, byte[]> e = w.entrySet().iterator().next();
      s.put(e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue());
    } else {
      WriteBatch b = new WriteBatch();
      w.forEach((k, v) -> b.put(k.getBytes(StandardCharsets.UTF_8), v));
      s.write(b);
    }
    acked.putAll(w);
  }

  /**
   * Writes until the disk is full: returns the disk-full exception, after checking that the failed
   * write left nothing behind (a batch entirely absent).
   */
  private StorageException writeUntilFull(Store s, int batchSize, int valueLen) {
    for (int i = 0; i < 100_000; i++) {
      int first = nextKey;
      try {
        writeOne(s, batchSize, valueLen);
      } catch (Throwable e) {
        assertDiskFull(e, "write " + i);
        for (int k = first; k < nextKey; k++) {
          assertNull(s.get(key(k)), "k" + k + " of the failed write is visible");
        }
        return (StorageException) e;
      }
    }
    throw new AssertionError("the disk never filled");
  }

  private void assertAllAcknowledged(Store s, String when) {
    for (Map.Entry<String, byte[]> e : acked.entrySet()) {
      assertArrayEquals(e.getValue(), s.get(e.getKey().getBytes(StandardCharsets.UTF_8)),
          when + ": " + e.getKey());
    }
  }

  /**
   * The common end of every path: the store reads everything acknowledged on the full disk; after
   * the filler goes, writes work on the same handle when it allows them, then after a reopen.
   */
  private void freeAndRecover(Store s, boolean sameHandleWritable) throws IOException {
    assertAllAcknowledged(s, "on the full disk");
    freeSpace();
    if (sameHandleWritable) {
      writeOne(s, 1, 500);
      writeOne(s, 3, 500);
    }
    close(s);
    Store again = openStore(SyncMode.ALWAYS, false);
    assertAllAcknowledged(again, "after freeing space and reopening");
    for (int i = 0; i < SEGMENT / 2000; i++) {
      writeOne(again, 1 + i % 3, 1000);
    }
    close(again);
    Store last = openStore(SyncMode.ALWAYS, false);
    assertAllAcknowledged(last, "after writing again");
    close(last);
  }

  // ---- the paths ------------------------------------------------------------------------------

  @Test
  void putAndRollOnAFullDisk() throws Exception {
    for (long leave : new long[] {0, 100 << 10}) {
      Store s = openStore(SyncMode.ALWAYS, false);
      writeOne(s, 1, 700);
      fill(leave);
      writeUntilFull(s, 1, 700);
      freeAndRecover(s, true);
      deleteStore();
    }
    FIGURES.add("put/roll at 2 fill levels");
  }

  @Test
  void batchOnAFullDiskIsAllOrNothing() throws Exception {
    for (long leave : new long[] {0, 130 << 10}) {
      Store s = openStore(SyncMode.ALWAYS, false);
      fill(leave);
      writeUntilFull(s, 7, 900);
      freeAndRecover(s, true);
      deleteStore();
    }
    FIGURES.add("batch at 2 fill levels");
  }

  @Test
  void syncOnAFullDisk() throws Exception {
    Store s = openStore(SyncMode.NONE, false);
    fill(0);
    writeUntilFull(s, 1, 800);
    try {
      s.sync();
    } catch (Throwable e) {
      assertDiskFull(e, "sync");
    }
    freeAndRecover(s, true);
    FIGURES.add("sync");
  }

  /**
   * The next segment was already prepared (zero-filled) before the disk filled: the roll into it
   * succeeds, sealing the old one then fails to write its hint (which only costs a scan at the next
   * open), and the roll after that fails cleanly.
   */
  @Test
  void hintWriteOnSealOnAFullDisk() throws Exception {
    Store s = openStore(SyncMode.ALWAYS, false);
    Path store = mount.resolve("store");
    while (!Files.exists(store.resolve(SegmentFormat.segmentFileName(1)))) {
      writeOne(s, 1, 500);
    }
    awaitPreparedSegment(2);
    fill(0);
    writeUntilFull(s, 1, 600);
    assertTrue(Files.exists(store.resolve(SegmentFormat.segmentFileName(2))), "the prepared segment was never used");
    assertTrue(!Files.exists(store.resolve(SegmentFormat.hintFileName(1))), "segment 1 got a hint on a full disk");
    freeAndRecover(s, true);
    FIGURES.add("hint write on seal");
  }

  private void awaitPreparedSegment(int id) throws Exception {
    Path prepared = mount.resolve("store").resolve(SegmentFormat.segmentFileName(id) + SegmentFormat.TEMP_SUFFIX);
    for (int i = 0; i < 200 && !(Files.exists(prepared) && Files.size(prepared) == SEGMENT); i++) {
      Thread.sleep(10);
    }
    assertTrue(Files.exists(prepared), "segment " + id + " was never prepared");
    Thread.sleep(50);
  }

  /**
   * Segments grow (64, 64, 128, 256 KiB here): a roll into a grown segment that no longer fits on
   * the disk fails cleanly at its creation, whether the disk filled before the next segment was
   * prepared or only a smaller segment would still fit; each grown file is written in full when
   * it is created, so nothing is left to fault on later.
   */
  @Test
  void aGrowthStepOnAFullDisk() throws Exception {
    int cap = 256 << 10;
    for (long leave : new long[] {0, 100 << 10}) {
      Store s = openStore(SyncMode.ALWAYS, false, cap);
      Path store = mount.resolve("store");
      while (!Files.exists(store.resolve(SegmentFormat.segmentFileName(3)))) {
        writeOne(s, 1, 900);
      }
      fill(leave);
      writeUntilFull(s, 1 + nextKey % 3, 900);
      long largest = 0;
      try (Stream<Path> files = Files.list(store)) {
        for (Path p : files.toArray(Path[]::new)) {
          largest = Math.max(largest, Files.size(p));
        }
      }
      assertTrue(largest > SEGMENT, "no segment grew past " + SEGMENT + " bytes before the disk filled");
      freeAndRecover(s, true);
      deleteStore();
    }
    FIGURES.add("growth step at 2 fill levels");
  }

  @Test
  void compactionOnAFullDisk() throws Exception {
    Store s = openStore(SyncMode.ALWAYS, false);
    // 200 KiB of keys, then a quarter of them overwritten three times: the old segments hold about
    // 150 KiB of live records among dead ones, more than the active and one prepared segment take.
    int keys = 200;
    for (int round = 0; round < 4; round++) {
      for (int k = 0; k < keys; k++) {
        if (round == 0 || k % 4 == 0) {
          byte[] v = value(k * 100 + round, 1000);
          s.put(key(k), v);
          acked.put("k" + k, v);
        }
      }
    }
    nextKey = keys;
    fill(0);
    String outcome = "failed cleanly";
    try {
      outcome = "fit in the prepared segment: " + s.compact(true);
    } catch (Throwable e) {
      assertDiskFull(e, "compaction");
    }
    assertAllAcknowledged(s, "after compaction on the full disk");
    assertTrue(outcome.equals("failed cleanly"), "compaction on a full disk " + outcome);
    writeUntilFull(s, 1, 500);
    freeAndRecover(s, true);
    Store again = openStore(SyncMode.ALWAYS, false);
    again.compact(true);
    assertAllAcknowledged(again, "after compaction with space");
    close(again);
    FIGURES.add("compaction (" + outcome + ")");
  }

  @Test
  void openingANewStoreOnAFullDisk() throws Exception {
    fill(0);
    try {
      openStore(SyncMode.ALWAYS, false);
      fail("a new store opened on a full disk");
    } catch (StoreException e) {
      assertDiskFull(e, "open of a new store");
    }
    freeSpace();
    Store s = openStore(SyncMode.ALWAYS, false);
    writeOne(s, 1, 100);
    freeAndRecover(s, true);
    FIGURES.add("open of a new store");
  }

  @Test
  void reopeningAStoreOnAFullDisk() throws Exception {
    Store s = openStore(SyncMode.ALWAYS, false);
    for (int i = 0; i < 100; i++) {
      writeOne(s, 1 + i % 4, 300);
    }
    close(s);
    fill(0);
    Store full;
    try {
      full = openStore(SyncMode.ALWAYS, false);
    } catch (Throwable e) {
      assertDiskFull(e, "reopen on a full disk");
      freeSpace();
      full = openStore(SyncMode.ALWAYS, false);
      fill(0);
    }
    assertAllAcknowledged(full, "reopened on a full disk");
    writeUntilFull(full, 2, 400);
    freeAndRecover(full, true);
    FIGURES.add("open of an existing store");
  }

  /** Long mode: many rounds of puts and batches at random fill levels, on one store. */
  @Test
  void randomFillLevels() throws Exception {
    int rounds = ReliabilityScale.pick(3, 200);
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    for (int r = 0; r < rounds; r++) {
      Store s = openStore(rnd.nextBoolean() ? SyncMode.ALWAYS : SyncMode.NONE, rnd.nextBoolean());
      assertAllAcknowledged(s, "round " + r + " (seed " + seed + ") at open");
      fill(rnd.nextInt(300 << 10));
      writeUntilFull(s, 1 + rnd.nextInt(6), 50 + rnd.nextInt(3000));
      assertAllAcknowledged(s, "round " + r + " (seed " + seed + ") on the full disk");
      if (rnd.nextBoolean()) {
        try {
          s.compact(true);
        } catch (Throwable e) {
          assertDiskFull(e, "round " + r + " compaction");
        }
      }
      freeSpace();
      close(s);
      Store check = openStore(SyncMode.ALWAYS, false);
      assertAllAcknowledged(check, "round " + r + " (seed " + seed + ") after freeing space and reopening");
      close(check);
      if (directorySize(mount.resolve("store")) > 400 << 10) {
        deleteStore(); // start again on an empty disk before the store alone fills it
      }
    }
    FIGURES.add(rounds + " rounds at random fill levels (seed " + seed + ")");
  }
}
