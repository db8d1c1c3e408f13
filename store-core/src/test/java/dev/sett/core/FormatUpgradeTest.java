package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.VerifyReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written in format version 1 (the fixture {@link V1Fixture}, made by the code before
 * expiry existed) opens, reads and writes under format version 2, and is upgraded as it goes.
 */
class FormatUpgradeTest {
  private static final String FIXTURE = "/fixtures/v1-store/";
  private static final List<String> FILES = List.of("0000000001.seg", "0000000001.hint", "0000000002.seg",
      "0000000002.hint", "0000000003.seg", "0000000003.hint", "sett.store");

  @TempDir Path dir;

  private Path copyFixture() throws IOException {
    Path store = dir.resolve("v1-store");
    Files.createDirectories(store);
    for (String f : FILES) {
      try (InputStream in = FormatUpgradeTest.class.getResourceAsStream(FIXTURE + f)) {
        if (in == null) {
          throw new IllegalStateException("fixture file missing from the test classpath: " + f);
        }
        Files.copy(in, store.resolve(f));
      }
    }
    return store;
  }

  private static int segmentVersion(Path seg) throws IOException {
    try (FileChannel ch = FileChannel.open(seg)) {
      ByteBuffer h = ByteBuffer.allocate(SegmentFormat.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(h, 0);
      return h.getInt(SegmentFormat.H_VERSION);
    }
  }

  private static void assertHolds(Store s, NavigableMap<byte[], byte[]> expected, String when) {
    assertHolds(s, expected, when, expected.size());
  }

  /** As above, where the index may still count {@code indexed} keys (expired ones compaction has not dropped yet). */
  private static void assertHolds(Store s, NavigableMap<byte[], byte[]> expected, String when, long indexed) {
    assertEquals(indexed, s.stats().liveKeys(), when + ": key count");
    for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
      assertArrayEquals(e.getValue(), s.get(e.getKey()), when);
    }
    List<byte[]> keys = new ArrayList<>();
    try (Snapshot snap = s.snapshot(); Cursor c = snap.scan(KeyRange.all())) {
      while (c.next()) {
        keys.add(c.key().toByteArray());
      }
    }
    assertEquals(expected.size(), keys.size(), when + ": scan");
    int i = 0;
    for (byte[] k : expected.keySet()) {
      assertArrayEquals(k, keys.get(i++), when + ": scan order");
    }
  }

  @Test
  void theFixtureIsWhatVersionOneWrote() throws IOException {
    Path store = copyFixture();
    assertTrue(Files.readString(store.resolve("sett.store")).contains("format-version=1"));
    for (Path seg : StoreTestSupport.segmentFiles(store)) {
      assertEquals(1, segmentVersion(seg), seg.toString());
    }
  }

  @Test
  void aVersionOneStoreOpensReadOnlyAndStaysVersionOne() throws IOException {
    Path store = copyFixture();
    try (Store s = Sett.open(store, V1Fixture.OPTIONS.toBuilder().readOnly(true).build())) {
      assertHolds(s, V1Fixture.expected(), "read-only");
      assertNull(s.get(V1Fixture.key(0)), "deleted in the fixture's history");
    }
    assertTrue(Files.readString(store.resolve("sett.store")).contains("format-version=1"), "a reader changes nothing");
    VerifyReport report = Sett.verify(store);
    assertTrue(report.problems().isEmpty(), report.problems().toString());
  }

  @Test
  void aVersionOneStoreIsUpgradedAsItIsWrittenAndCompacted() throws IOException {
    Path store = copyFixture();
    NavigableMap<byte[], byte[]> expected = V1Fixture.expected();
    TestClock clock = new TestClock(1_800_000_000_000L);
    StoreOptions options = V1Fixture.OPTIONS.toBuilder().clock(clock).build();
    try (Store s = Sett.open(store, options)) {
      assertTrue(Files.readString(store.resolve("sett.store")).contains("format-version=2"),
          "a writable open marks the store version 2 before writing anything of version 2");
      assertHolds(s, expected, "writable open");
      s.put(b("plain"), b("no expiry"));
      expected.put(b("plain"), b("no expiry"));
      s.put(b("expiring"), b("soon gone"), Duration.ofSeconds(5));
      assertArrayEquals(b("soon gone"), s.get(b("expiring")));
    }
    List<Path> segments = StoreTestSupport.segmentFiles(store);
    assertEquals(SegmentFormat.VERSION, segmentVersion(segments.get(segments.size() - 1)),
        "the expiring record went into a new segment of the current version");
    assertEquals(1, segmentVersion(segments.get(0)), "the old segments stay as they are until compacted");
    try (Store s = Sett.open(store, options)) {
      assertHolds(s, withExpiring(expected), "reopened");
      clock.advance(Duration.ofSeconds(5));
      assertNull(s.get(b("expiring")));
      s.compact(true);
      assertHolds(s, expected, "compacted", expected.size() + 1); // the expired record sits in the active segment
    }
    for (Path seg : StoreTestSupport.segmentFiles(store)) {
      assertEquals(SegmentFormat.VERSION, segmentVersion(seg), "compaction rewrote " + seg.getFileName());
    }
    VerifyReport report = Sett.verify(store);
    assertTrue(report.problems().isEmpty(), report.problems().toString());
    try (Store s = Sett.open(store, options)) {
      assertHolds(s, expected, "after the upgrade", expected.size() + 1);
      assertFalse(s.contains(b("expiring")));
    }
  }

  private static NavigableMap<byte[], byte[]> withExpiring(NavigableMap<byte[], byte[]> m) {
    NavigableMap<byte[], byte[]> copy = new java.util.TreeMap<>(m);
    copy.put(b("expiring"), b("soon gone"));
    return copy;
  }

  @Test
  void anExpiringFlagInAVersionOneSegmentIsDamage() throws IOException {
    Path store = copyFixture();
    Path seg = store.resolve("0000000001.seg");
    Files.delete(store.resolve("0000000001.hint")); // so that open scans the segment
    try (FileChannel ch = FileChannel.open(seg, java.nio.file.StandardOpenOption.READ,
        java.nio.file.StandardOpenOption.WRITE)) {
      ByteBuffer flags = ByteBuffer.allocate(1);
      ch.read(flags, SegmentFormat.HEADER_SIZE + SegmentFormat.R_FLAGS);
      flags.put(0, (byte) (flags.get(0) | SegmentFormat.FLAG_EXPIRES)).rewind();
      ch.write(flags, SegmentFormat.HEADER_SIZE + SegmentFormat.R_FLAGS);
    }
    VerifyReport report = Sett.verify(store);
    assertFalse(report.problems().isEmpty(), "verify reports the flag");
    assertTrue(report.problems().toString().contains("flags"), report.problems().toString());
  }
}
