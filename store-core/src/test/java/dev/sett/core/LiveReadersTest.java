package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.ReadOnlyStoreException;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreLockedException;
import dev.sett.api.StoreOptions;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read-only handles beside a live writer, in one JVM (the child-JVM version is LiveReaderProcessTest). */
class LiveReadersTest {
  private static final StoreOptions WRITER = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();
  private static final StoreOptions READER = WRITER.toBuilder().readOnly(true).build();

  @TempDir
  Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aReaderOpensBesideAWriterAndSeesNewWritesAfterRefresh() {
    try (Store w = Sett.open(dir, WRITER)) {
      w.put(b("a"), b("1"));
      try (Store r = Sett.open(dir, READER)) {
        assertArrayEquals(b("1"), r.get(b("a")));
        w.put(b("a"), b("2"));
        w.put(b("b"), b("3"));
        assertArrayEquals(b("1"), r.get(b("a")), "a handle sees what it opened until it refreshes");
        assertNull(r.get(b("b")));
        r.refresh();
        assertArrayEquals(b("2"), r.get(b("a")));
        assertArrayEquals(b("3"), r.get(b("b")));
        assertThrows(ReadOnlyStoreException.class, () -> r.put(b("c"), b("4")));
      }
    }
  }

  /**
   * Reads of segment headers return a mix of two versions {@code torn} times (different mixes, or
   * the same one every time if {@code sameEveryTime}), then the file's bytes.
   */
  private static final class TornHeaderReads extends DelegatingStorage {
    private final boolean sameEveryTime;
    int torn;
    int reads;

    TornHeaderReads(int torn, boolean sameEveryTime) {
      super(FileStorage.INSTANCE);
      this.torn = torn;
      this.sameEveryTime = sameEveryTime;
    }

    @Override
    public java.nio.ByteBuffer read(Path file, long offset, int length) throws IOException {
      java.nio.ByteBuffer b = super.read(file, offset, length);
      if (offset == 0 && length == SegmentFormat.HEADER_SIZE && file.toString().endsWith(SegmentFormat.SEGMENT_SUFFIX)) {
        reads++;
        if (torn > 0) {
          torn--;
          // As if half of a seal's header rewrite had landed: the sealed flag's byte and what follows differ.
          java.nio.ByteBuffer mixed = java.nio.ByteBuffer.allocate(length);
          mixed.put(b.duplicate()).flip();
          // Read the same every time: damage, from the size field on (bytes a seal never writes; a
          // seal's own bytes torn for good are a torn seal, which an open scans past).
          for (int i = sameEveryTime ? SegmentFormat.H_SIZE : length / 2; i < length; i++) {
            mixed.put(i, (byte) (mixed.get(i) ^ ((sameEveryTime ? 1 : reads) + i)));
          }
          return mixed;
        }
      }
      return b;
    }
  }

  @Test
  void aHeaderReadTornByASealBesideTheReaderIsReadAgainNotCalledDamage() {
    try (Store w = Sett.open(dir, WRITER)) {
      for (int i = 0; i < 2_000; i++) {
        w.put(b("k" + i), new byte[100]);
      }
    }
    TornHeaderReads twice = new TornHeaderReads(2, false);
    try (Store r = ReadOnlyStore.open(twice, dir, READER)) {
      assertArrayEquals(new byte[100], r.get(b("k1999")));
      assertEquals(2_000, r.stats().liveKeys());
    }
    assertTrue(twice.reads > 3, "the torn reads were taken and read again: " + twice.reads);
    // A header that reads the same wrong bytes every time is damage, and is reported as such.
    TornHeaderReads always = new TornHeaderReads(Integer.MAX_VALUE, true);
    assertThrows(dev.sett.api.CorruptionException.class, () -> ReadOnlyStore.open(always, dir, READER).close());
  }

  @Test
  void aWriterOpensBesideReadersAndASecondWriterIsStillRefused() {
    try (Store w = Sett.open(dir, WRITER)) {
      w.put(b("a"), b("1"));
    }
    try (Store r = Sett.open(dir, READER); Store w = Sett.open(dir, WRITER)) {
      assertThrows(StoreLockedException.class, () -> Sett.open(dir, WRITER));
      w.put(b("a"), b("2"));
      r.refresh();
      assertArrayEquals(b("2"), r.get(b("a")));
    }
  }

  @Test
  void refreshWithNothingNewKeepsTheGenerationAndAWritableRefreshDoesNothing() {
    try (Store w = Sett.open(dir, WRITER)) {
      w.put(b("a"), b("1"));
      w.refresh();
      try (ReadOnlyStore r = (ReadOnlyStore) Sett.open(dir, READER)) {
        SettStore before = r.currentGeneration();
        r.refresh();
        assertTrue(before == r.currentGeneration(), "nothing changed, so nothing was reopened");
        w.put(b("a"), b("2"));
        r.refresh();
        assertTrue(before == r.currentGeneration(), "an append is taken in place");
        assertArrayEquals(b("2"), r.get(b("a")));
        w.compact(true);
        r.refresh();
        assertFalse(before == r.currentGeneration(), "compaction retired a segment: a new generation");
        assertArrayEquals(b("2"), r.get(b("a")));
        assertEquals(1, r.liveGenerations(), "the old generation closed once nothing used it");
      }
    }
  }

  @Test
  void aSnapshotKeepsWhatItSawAcrossRefreshesAndItsGenerationUntilClosed() {
    try (Store w = Sett.open(dir, WRITER)) {
      w.put(b("a"), b("old"));
      try (ReadOnlyStore r = (ReadOnlyStore) Sett.open(dir, READER)) {
        Snapshot s = r.snapshot();
        ByteView v = s.get(b("a"));
        w.put(b("a"), b("new"));
        r.refresh(); // in place
        assertArrayEquals(b("new"), r.get(b("a")));
        assertArrayEquals(b("old"), s.get(b("a")).toByteArray(), "the snapshot still reads what it saw");
        assertArrayEquals(b("old"), v.toByteArray(), "and its view is still valid");
        w.put(b("a"), b("newer"));
        w.compact(true);
        r.refresh(); // compaction retired a segment: a new generation
        assertArrayEquals(b("newer"), r.get(b("a")));
        assertArrayEquals(b("old"), v.toByteArray(), "the view of the old generation is still valid");
        assertEquals(2, r.liveGenerations());
        s.close();
        assertEquals(1, r.liveGenerations());
        assertThrows(RuntimeException.class, v::toByteArray, "a view does not outlive its snapshot");
      }
    }
  }

  @Test
  void aRefreshTakesInAppendsAndRollsInPlaceWhileOlderSnapshotsKeepWhatTheySaw() {
    byte[] big = new byte[300];
    try (Store w = Sett.open(dir, WRITER)) {
      for (int k = 0; k < 200; k++) {
        w.put(b("k" + k), b("v1-" + k));
      }
      try (ReadOnlyStore r = (ReadOnlyStore) Sett.open(dir, READER)) {
        SettStore generation = r.currentGeneration();
        int segmentsBefore = generation.segmentTable().all().size();
        try (Snapshot before = r.snapshot()) {
          WriteBatch batch = new WriteBatch();
          for (int k = 0; k < 100; k++) {
            batch.put(b("k" + k), b("v2-" + k));
          }
          w.write(batch);
          for (int k = 100; k < 150; k++) {
            w.delete(b("k" + k));
          }
          for (int n = 0; n < 400; n++) {
            w.put(b("n" + n), big); // 120 KB: the writer rolls to new 64 KiB segments
          }
          r.refresh();
          assertTrue(generation == r.currentGeneration(), "appends and rolls are taken in place");
          assertTrue(generation.segmentTable().all().size() > segmentsBefore + 1, "the new segments are mapped");
          assertEquals(1, r.liveGenerations());
          for (int k = 0; k < 200; k++) {
            byte[] now = r.get(b("k" + k));
            String was = "v1-" + k;
            if (k < 100) {
              assertArrayEquals(b("v2-" + k), now, "k" + k);
            } else if (k < 150) {
              assertNull(now, "k" + k + " was deleted");
            } else {
              assertArrayEquals(b(was), now, "k" + k);
            }
            assertArrayEquals(b(was), before.get(b("k" + k)).toByteArray(), "the older snapshot, k" + k);
          }
          assertArrayEquals(big, r.get(b("n399")));
          assertNull(before.get(b("n0")), "the older snapshot does not see keys written after it");
          assertEquals(200, count(before), "nor does its scan");
          assertEquals(150 + 400, count(r), "a new scan sees every live key, once, in order");
          assertEquals(150 + 400, r.stats().liveKeys());
          // And again: the rest of the newest segment is taken from where the last refresh stopped.
          w.put(b("k0"), b("v3"));
          r.refresh();
          assertTrue(generation == r.currentGeneration());
          assertArrayEquals(b("v3"), r.get(b("k0")));
          assertArrayEquals(b("v1-0"), before.get(b("k0")).toByteArray());
        }
      }
    }
  }

  @Test
  void aRefreshStoppedByADamagedNewSegmentShowsNothingOfWhatItTookAndKeepsReportingIt() throws Exception {
    try (Store w = Sett.open(dir, WRITER)) {
      w.put(b("a"), b("1"));
      try (ReadOnlyStore r = (ReadOnlyStore) Sett.open(dir, READER)) {
        SettStore generation = r.currentGeneration();
        w.put(b("a"), b("2")); // in the segment the handle maps: taken in first
        byte[] big = new byte[1000];
        for (int n = 0; n < 100; n++) {
          w.put(b("n" + n), big); // rolls to new segments
        }
        List<Path> files = segmentFiles();
        Path newest = files.get(files.size() - 1);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(newest,
            java.nio.file.StandardOpenOption.WRITE)) {
          ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), 16); // its header no longer checks
        }
        assertThrows(dev.sett.api.CorruptionException.class, r::refresh,
            "the catch-up stops at the damaged header, and a new generation's open reports it");
        assertTrue(generation == r.currentGeneration());
        assertArrayEquals(b("1"), r.get(b("a")), "what the stopped catch-up indexed stays invisible");
        assertNull(r.get(b("n0")));
        assertThrows(dev.sett.api.CorruptionException.class, r::refresh, "the damage is reported again");
        assertArrayEquals(b("1"), r.get(b("a")));
      }
    }
  }

  /** Entries of a full scan of {@code store}'s new snapshot, checking that keys come in order. */
  private static int count(Store store) {
    try (Snapshot s = store.snapshot()) {
      return count(s);
    }
  }

  private static int count(Snapshot s) {
    int n = 0;
    byte[] last = null;
    try (Cursor c = s.scan(KeyRange.all())) {
      while (c.next()) {
        byte[] k = c.key().toByteArray();
        assertTrue(last == null || java.util.Arrays.compareUnsigned(last, k) < 0, "keys in order, each once");
        last = k;
        n++;
      }
    }
    return n;
  }

  @Test
  void closingTheHandleClosesItsSnapshotsAndRefreshAfterCloseThrows() {
    try (Store w = Sett.open(dir, WRITER)) {
      w.put(b("a"), b("1"));
    }
    Store r = Sett.open(dir, READER);
    Snapshot s = r.snapshot();
    r.close();
    r.close();
    assertThrows(StoreClosedException.class, r::refresh);
    assertThrows(StoreClosedException.class, () -> r.get(b("a")));
    assertThrows(RuntimeException.class, () -> s.get(b("a")));
    assertEquals(List.of(), readerFiles(), "the handle's reader file went with it");
  }

  @Test
  void compactionDefersDeletingFilesAReaderMapsUntilItLetsGo() throws Exception {
    try (SettStore w = (SettStore) Sett.open(dir, WRITER)) {
      fill(w, "v1");
      fill(w, "v2"); // every v1 record is garbage now
      try (ReadOnlyStore r = (ReadOnlyStore) Sett.open(dir, READER)) {
        List<Path> before = segmentFiles();
        assertTrue(w.compact(true).segmentsCompacted() > 0);
        Set<Integer> held = w.retiredPending();
        assertFalse(held.isEmpty(), "files the reader maps were not deleted");
        for (int id : held) {
          assertTrue(Files.exists(dir.resolve(SegmentFormat.segmentFileName(id))));
        }
        assertTrue(segmentFiles().containsAll(before));
        assertValues(r, "v2");
        fill(w, "v3");
        r.refresh(); // the new generation maps none of the retired files
        assertValues(r, "v3");
        awaitTrue(() -> w.retiredPending().isEmpty(), "the writer deletes them once the reader let go");
        for (int id : held) {
          assertFalse(Files.exists(dir.resolve(SegmentFormat.segmentFileName(id))));
        }
      }
    }
  }

  @Test
  void aReaderFileOfADeadProcessHoldsNothingBackAndIsDeleted() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    long deadPid = gone.pid();
    try (SettStore w = (SettStore) Sett.open(dir, WRITER)) {
      fill(w, "v1");
      fill(w, "v2");
      StringBuilder all = new StringBuilder();
      for (int id = 1; id < 10_000; id++) {
        all.append(id).append(' ');
      }
      Path fake = dir.resolve(ReaderRegistry.DIR).resolve(deadPid + "-1" + ReaderRegistry.READER_SUFFIX);
      Files.writeString(fake, "pid=" + deadPid + "\nstarted=1\nopened=1\nsegments=" + all + "\n");
      assertTrue(w.compact(true).segmentsCompacted() > 0);
      assertEquals(Set.of(), w.retiredPending(), "a dead reader pins nothing");
      assertFalse(Files.exists(fake), "and its file is cleaned up");
    }
  }

  @Test
  void aReaderIsKnownByItsStartTicksSoAReusedPidIsNotTakenForIt() {
    long self = ProcessHandle.current().pid();
    long ticks = ReaderRegistry.startTicks(self);
    org.junit.jupiter.api.Assumptions.assumeTrue(ticks >= 0, "no /proc here");
    long started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
    assertTrue(ReaderRegistry.alive(self, started, ticks));
    assertFalse(ReaderRegistry.alive(self, started, ticks + 1), "same pid, another start: a reused pid");
    assertTrue(ReaderRegistry.alive(self, started + 1_500, -1),
        "without ticks, a second of disagreement between two JVMs' clocks is not a reused pid");
    assertFalse(ReaderRegistry.alive(self, started - 60_000, -1));
  }

  @Test
  void aReaderSeesWholeBatchesWhileTheWriterWritesAndCompacts() throws Exception {
    StoreOptions compacting = WRITER.toBuilder().autoCompaction(true).compactionTrigger(0.3, 1 << 16).build();
    int keys = 20;
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (Store w = Sett.open(dir, compacting)) {
      writeVersion(w, keys, 0);
      Thread writer = new Thread(() -> {
        try {
          for (int version = 1; !stop.get(); version++) {
            writeVersion(w, keys, version);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      writer.start();
      int checks = 0;
      long lastSeen = 0;
      try (Store r = Sett.open(dir, READER)) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline && failure.get() == null) {
          r.refresh();
          try (Snapshot s = r.snapshot(); Cursor c = s.scan(KeyRange.all())) {
            long version = -1;
            int n = 0;
            for (; c.next(); n++) {
              long v = Long.parseLong(new String(c.value().toByteArray(), StandardCharsets.UTF_8));
              assertTrue(version < 0 || v == version, "a batch was seen torn: " + v + " beside " + version);
              version = v;
            }
            assertEquals(keys, n);
            assertTrue(version >= lastSeen, "a refresh went back in time");
            lastSeen = version;
          }
          checks++;
        }
      } finally {
        stop.set(true);
        writer.join();
      }
      assertEquals(null, failure.get());
      assertTrue(checks > 10, "checks: " + checks);
      assertTrue(lastSeen > 0, "the reader saw the writer's progress");
      assertTrue(w.stats().compactionsRun() > 0, "compaction ran beside the reader");
    }
  }

  @Test
  void whereTheRegistryCannotBeWrittenAReaderFallsBackToTheSharedLock() throws Exception {
    try (Store w = Sett.open(dir, WRITER)) {
      w.put(b("a"), b("1"));
    }
    Path registry = dir.resolve(ReaderRegistry.DIR);
    try (var files = Files.list(registry)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.delete(f);
      }
    }
    Files.delete(registry);
    Files.writeString(registry, "not a directory");
    try (Store r = Sett.open(dir, READER)) {
      assertArrayEquals(b("1"), r.get(b("a")));
      StoreLockedException e = assertThrows(StoreLockedException.class, () -> Sett.open(dir, WRITER));
      assertTrue(e.getMessage().contains("already open"), e.getMessage());
    }
    Files.delete(registry);
    try (Store w = Sett.open(dir, WRITER)) {
      assertArrayEquals(b("1"), w.get(b("a")));
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static void writeVersion(Store w, int keys, long version) {
    WriteBatch batch = new WriteBatch();
    for (int k = 0; k < keys; k++) {
      batch.put(b(String.format("key-%03d", k)), b(Long.toString(version)));
    }
    w.write(batch);
  }

  private static void fill(Store w, String value) {
    byte[] pad = new byte[300];
    for (int i = 0; i < 1000; i++) {
      byte[] v = (value + "|" + new String(pad, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
      w.put(b("k" + i), v);
    }
  }

  private static void assertValues(Store r, String value) {
    for (int i = 0; i < 1000; i += 97) {
      byte[] v = r.get(b("k" + i));
      assertTrue(new String(v, StandardCharsets.ISO_8859_1).startsWith(value + "|"), "k" + i);
    }
  }

  private List<Path> segmentFiles() throws IOException {
    List<Path> out = new ArrayList<>();
    try (var files = Files.list(dir)) {
      files.filter(p -> p.getFileName().toString().endsWith(SegmentFormat.SEGMENT_SUFFIX)).forEach(out::add);
    }
    return out;
  }

  private List<Path> readerFiles() {
    List<Path> out = new ArrayList<>();
    try (var files = Files.list(dir.resolve(ReaderRegistry.DIR))) {
      files.filter(p -> p.getFileName().toString().endsWith(ReaderRegistry.READER_SUFFIX)).forEach(out::add);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what);
      Thread.sleep(20);
    }
  }
}
