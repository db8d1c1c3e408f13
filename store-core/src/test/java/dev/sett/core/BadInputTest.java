package dev.sett.core;

import static dev.sett.core.StoreTestSupport.assertValue;
import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.InvalidInputException;
import dev.sett.api.KeyRange;
import dev.sett.api.NotAStoreException;
import dev.sett.api.ReadOnlyStoreException;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.StoreLockedException;
import dev.sett.api.StoreOptions;
import dev.sett.api.UnsupportedFormatException;
import dev.sett.api.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gets its documented exception, with a useful message, and changes nothing. */
class BadInputTest {
  @TempDir Path dir;

  private static final StoreOptions SMALL = StoreOptions.builder().segmentSize(64 << 10).maxKeySize(16)
      .maxValueSize(1000).build();

  private Store openWithData() {
    Store s = Sett.open(dir, SMALL);
    s.put(b("keep"), b("safe"));
    return s;
  }

  private void assertRejected(Class<? extends StoreException> type, String messagePart, Executable call) {
    StoreException e = assertThrows(type, call);
    assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' lacks '" + messagePart + "'");
  }

  private void assertStoreIntact() {
    try (Store s = Sett.open(dir, SMALL)) {
      assertValue("safe", s.get(b("keep")));
      assertEquals(1, s.stats().liveKeys());
    }
  }

  @Test
  void badKeysAndValuesAreRejectedBeforeAnythingIsWritten() {
    try (Store s = openWithData()) {
      long before = s.stats().dataBytes();
      assertRejected(InvalidInputException.class, "key must not be null", () -> s.put(null, b("v")));
      assertRejected(InvalidInputException.class, "key must not be empty", () -> s.put(new byte[0], b("v")));
      assertRejected(InvalidInputException.class, "over the limit of 16", () -> s.put(new byte[17], b("v")));
      assertRejected(InvalidInputException.class, "value must not be null", () -> s.put(b("k"), null));
      assertRejected(InvalidInputException.class, "over the limit of 1000", () -> s.put(b("k"), new byte[1001]));
      assertRejected(InvalidInputException.class, "key must not be null", () -> s.get(null));
      assertRejected(InvalidInputException.class, "key must not be empty", () -> s.delete(new byte[0]));
      assertRejected(InvalidInputException.class, "reader must not be null", () -> s.read(b("keep"), null));
      assertRejected(InvalidInputException.class, "batch must not be null", () -> s.write(null));
      assertRejected(InvalidInputException.class, "over the limit of 1000",
          () -> s.write(new WriteBatch().put(b("ok"), b("1")).put(b("big"), new byte[1001])));
      assertEquals(null, s.get(b("ok")), "a batch with one bad operation writes nothing");
      try (Snapshot snap = s.snapshot()) {
        assertRejected(InvalidInputException.class, "key must not be null", () -> snap.get(null));
        assertRejected(InvalidInputException.class, "range must not be null", () -> snap.scan(null));
      }
      assertEquals(before, s.stats().dataBytes());
    }
    assertStoreIntact();
  }

  @Test
  void batchLargerThanASegmentIsRejected() {
    try (Store s = openWithData()) {
      WriteBatch big = new WriteBatch();
      for (int i = 0; i < 100; i++) {
        big.put(b("k" + i), new byte[1000]);
      }
      assertRejected(InvalidInputException.class, "does not fit in one segment", () -> s.write(big));
      assertEquals(null, s.get(b("k0")));
    }
    assertStoreIntact();
  }

  @Test
  void batchAndRangeArgumentsAreChecked() {
    assertRejected(InvalidInputException.class, "key must not be null", () -> new WriteBatch().put(null, b("v")));
    assertRejected(InvalidInputException.class, "value must not be null", () -> new WriteBatch().put(b("k"), null));
    assertRejected(InvalidInputException.class, "greater than its upper bound", () -> KeyRange.between(b("b"), b("a")));
  }

  @Test
  void badOptionsAreRejected() {
    assertRejected(InvalidInputException.class, "multiple of 4096", () -> StoreOptions.builder().segmentSize(70_000));
    assertRejected(InvalidInputException.class, "between 1 and 65535", () -> StoreOptions.builder().maxKeySize(70_000));
    assertRejected(InvalidInputException.class, "raise segmentSize",
        () -> StoreOptions.builder().segmentSize(64 << 10).maxValueSize(1 << 20).build());
    assertRejected(InvalidInputException.class, "syncMode must not be null", () -> StoreOptions.builder().syncMode(null));
  }

  @Test
  void writesToAReadOnlyStoreAreRefused() {
    openWithData().close();
    try (Store ro = Sett.open(dir, SMALL.toBuilder().readOnly(true).build())) {
      assertRejected(ReadOnlyStoreException.class, "read-only", () -> ro.put(b("k"), b("v")));
      assertRejected(ReadOnlyStoreException.class, "read-only", () -> ro.delete(b("keep")));
      assertRejected(ReadOnlyStoreException.class, "read-only", () -> ro.write(new WriteBatch().put(b("k"), b("v"))));
      assertValue("safe", ro.get(b("keep")));
    }
    assertStoreIntact();
  }

  @Test
  void aSecondWriterIsLockedOut() {
    try (Store s = openWithData()) {
      assertRejected(StoreLockedException.class, "already open", () -> Sett.open(dir, SMALL));
      try (Store reader = Sett.open(dir, SMALL.toBuilder().readOnly(true).build())) {
        assertValue("safe", reader.get(b("keep"))); // readers share the store with its writer
      }
      assertRejected(StoreLockedException.class, "already open", () -> Sett.open(dir, SMALL));
      s.put(b("still"), b("writable"));
      assertValue("writable", s.get(b("still")));
      s.delete(b("still"));
    }
    assertStoreIntact();
  }

  @Test
  void readOnlyHandlesShareTheDirectoryWithEachOtherAndOneWriter() {
    openWithData().close();
    StoreOptions ro = SMALL.toBuilder().readOnly(true).build();
    try (Store a = Sett.open(dir, ro); Store b = Sett.open(dir, ro)) {
      assertValue("safe", a.get(b("keep")));
      assertValue("safe", b.get(b("keep")));
      try (Store w = Sett.open(dir, SMALL)) {
        assertRejected(StoreLockedException.class, "already open", () -> Sett.open(dir, SMALL));
        assertValue("safe", w.get(b("keep")));
      }
    }
    assertStoreIntact();
  }

  @Test
  void aForeignDirectoryIsNotTouched() throws Exception {
    Path foreign = Files.createDirectories(dir.resolve("foreign"));
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    assertRejected(NotAStoreException.class, "not a Sett store", () -> Sett.open(foreign));
    assertEquals("mine", Files.readString(foreign.resolve("notes.txt")));
    try (var files = Files.list(foreign)) {
      assertEquals(1, files.count(), "nothing was created in the foreign directory");
    }
  }

  @Test
  void aFileInsteadOfADirectoryIsRejected() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertRejected(NotAStoreException.class, "not a directory", () -> Sett.open(file));
  }

  @Test
  void readOnlyOpenOfAMissingStoreFails() {
    assertRejected(NotAStoreException.class, "does not exist",
        () -> Sett.open(dir.resolve("nothing"), StoreOptions.builder().readOnly(true).build()));
  }

  @Test
  void aNewerMarkerVersionIsRefused() throws Exception {
    openWithData().close();
    Files.writeString(dir.resolve("sett.store"), "format-version=3\n");
    UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> Sett.open(dir, SMALL));
    assertEquals(3, e.version());
    Files.writeString(dir.resolve("sett.store"), "format-version=2\n");
    assertStoreIntact();
  }

  @Test
  void aNewerSegmentVersionIsRefused() throws Exception {
    openWithData().close();
    Path seg = StoreTestSupport.segmentFiles(dir).get(0);
    ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ch.read(header, 0);
      ByteBuffer original = ByteBuffer.wrap(header.array().clone());
      SegmentHeader h = SegmentHeader.decode(header);
      ByteBuffer future = new SegmentHeader(9, h.id(), h.size(), h.createdMillis()).encode();
      ch.write(future, 0);
      UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> Sett.open(dir, SMALL));
      assertEquals(9, e.version());
      assertEquals(seg, e.file());
      ch.write(original, 0);
    }
    assertStoreIntact();
  }

  @Test
  void nullArgumentsToOpenAreRejected() {
    assertRejected(InvalidInputException.class, "dir must not be null", () -> Sett.open(null));
    assertRejected(InvalidInputException.class, "options must not be null", () -> Sett.open(dir, null));
  }

  @Test
  void everyCallOnAClosedStoreIsRefused() {
    Store s = openWithData();
    s.close();
    s.close();
    assertRejected(dev.sett.api.StoreClosedException.class, "closed", () -> s.put(b("k"), b("v")));
    assertRejected(dev.sett.api.StoreClosedException.class, "closed", () -> s.get(b("keep")));
    assertRejected(dev.sett.api.StoreClosedException.class, "closed", () -> s.delete(b("keep")));
    assertRejected(dev.sett.api.StoreClosedException.class, "closed", s::snapshot);
    assertRejected(dev.sett.api.StoreClosedException.class, "closed", s::sync);
    assertRejected(dev.sett.api.StoreClosedException.class, "closed", () -> s.compact(true));
    assertStoreIntact();
  }

  @Test
  void garbageFilesInTheDirectoryAreLeftAloneAndAGarbageSegmentIsReported() throws Exception {
    openWithData().close();
    Files.writeString(dir.resolve("notes.txt"), "an operator's note");
    Path junk = dir.resolve(SegmentFormat.segmentFileName(999));
    byte[] garbage = new byte[64 << 10];
    new java.util.Random(5).nextBytes(garbage);
    Files.write(junk, garbage);
    dev.sett.api.CorruptionException e = assertThrows(dev.sett.api.CorruptionException.class,
        () -> Sett.open(dir, SMALL));
    assertEquals(junk, e.file());
    assertTrue(e.getMessage().contains("header"), e.getMessage());
    assertTrue(java.util.Arrays.equals(garbage, Files.readAllBytes(junk)), "the open changed nothing");
    Files.delete(junk);
    assertStoreIntact();
    assertEquals("an operator's note", Files.readString(dir.resolve("notes.txt")), "a foreign file is not touched");
  }

  @Test
  void aHintFileFromAnotherSegmentIsIgnored() throws Exception {
    // No background compaction: it would merge the overwritten segments (and their hints) away.
    try (Store s = Sett.open(dir, SMALL.toBuilder().autoCompaction(false).build())) {
      s.put(b("keep"), b("safe"));
      for (int i = 0; s.stats().segmentCount() < 3; i++) {
        s.put(b("k" + (i % 10)), new byte[900]);
      }
    }
    java.util.List<Path> hints = StoreTestSupport.hintFiles(dir);
    assertTrue(hints.size() >= 2, "sealed segments have hints: " + hints);
    // The first segment's hint put in place of the second's: same format, wrong segment.
    Files.copy(hints.get(0), hints.get(1), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (Store s = Sett.open(dir, SMALL)) {
      assertValue("safe", s.get(b("keep")));
      assertEquals(11, s.stats().liveKeys(), "every key is found by scanning the segment instead");
    }
    assertTrue(Sett.verify(dir).ok(), "the open rewrote the hint: " + Sett.verify(dir));
  }
}
