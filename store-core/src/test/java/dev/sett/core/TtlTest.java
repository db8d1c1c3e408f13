package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static dev.sett.core.StoreTestSupport.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.CompactionResult;
import dev.sett.api.Cursor;
import dev.sett.api.InvalidInputException;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.Transaction;
import dev.sett.api.VerifyReport;
import dev.sett.api.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expiry: every read path treats an expired key as absent, and compaction takes the space back. */
class TtlTest {
  private static final long START = 1_800_000_000_000L;

  @TempDir Path dir;
  private final TestClock clock = new TestClock(START);

  private StoreOptions options() {
    return StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).clock(clock).build();
  }

  /** What every read path says about {@code key}: present (the value) or absent (null), all agreeing. */
  private static String readEverywhere(Store s, byte[] key) {
    byte[] got = s.get(key);
    String value = got == null ? null : s(got);
    assertEquals(got != null, s.contains(key), "contains");
    assertEquals(value, s.read(key, v -> s(v.toByteArray())), "read");
    assertEquals(got == null ? -1 : got.length, s.readLong(key, ByteView::size, -1), "readLong");
    try (Snapshot snap = s.snapshot()) {
      ByteView v = snap.get(key);
      assertEquals(value, v == null ? null : s(v.toByteArray()), "snapshot get");
      assertEquals(value, scanFor(snap.scan(KeyRange.all()), key), "snapshot scan");
      assertEquals(value, scanFor(snap.scan(KeyRange.all().reverse()), key), "snapshot reverse scan");
    }
    try (Transaction t = s.beginTransaction()) {
      ByteView v = t.get(key);
      assertEquals(value, v == null ? null : s(v.toByteArray()), "transaction get");
      assertEquals(got != null, t.contains(key), "transaction contains");
      assertEquals(value, scanFor(t.scan(KeyRange.all()), key), "transaction scan");
    }
    return value;
  }

  private static String scanFor(Cursor c, byte[] key) {
    try (c) {
      while (c.next()) {
        if (c.key().contentEquals(key)) {
          return s(c.value().toByteArray());
        }
      }
      return null;
    }
  }

  @Test
  void anExpiredKeyIsAbsentOnEveryReadPathFromItsExpiryOn() {
    try (Store s = Sett.open(dir, options())) {
      s.put(b("session"), b("alive"), Duration.ofSeconds(10));
      s.put(b("other"), b("stays"));
      assertEquals("alive", readEverywhere(s, b("session")));
      clock.advance(Duration.ofMillis(9_999));
      assertEquals("alive", readEverywhere(s, b("session")), "one millisecond before its expiry");
      clock.advance(Duration.ofMillis(1));
      assertNull(readEverywhere(s, b("session")), "at its expiry");
      assertEquals("stays", readEverywhere(s, b("other")));
    }
  }

  @Test
  void aSnapshotOrTransactionJudgesExpiryAtTheTimeItWasTaken() {
    try (Store s = Sett.open(dir, options())) {
      s.put(b("k"), b("v"), Duration.ofSeconds(1));
      try (Snapshot before = s.snapshot(); Transaction txn = s.beginTransaction()) {
        clock.advance(Duration.ofSeconds(5));
        assertNull(s.get(b("k")), "plain reads use the clock now");
        assertEquals("v", s(before.get(b("k")).toByteArray()), "the snapshot was taken while it was live");
        assertEquals("v", scanFor(before.scan(KeyRange.all()), b("k")));
        assertEquals("v", s(txn.get(b("k")).toByteArray()));
        assertTrue(s.compact(true).expiredDropped() == 0, "an open snapshot that saw it keeps it on disk");
        assertEquals("v", s(before.get(b("k")).toByteArray()));
      }
    }
  }

  @Test
  void defaultTtlAppliesToPutsWithoutTheirOwn() {
    StoreOptions withDefault = options().toBuilder().defaultTtl(Duration.ofMinutes(1)).build();
    try (Store s = Sett.open(dir, withDefault)) {
      s.put(b("plain"), b("1"));
      s.write(new WriteBatch().put(b("batch"), b("2")).put(b("own"), b("3"), Duration.ofHours(1)));
      assertTrue(s.putIfAbsent(b("conditional"), b("4")));
      s.update(t -> t.put(b("txn"), b("5")));
      s.update(t -> t.put(b("txn-own"), b("6"), Duration.ofHours(2)));
      s.put(b("long"), b("7"), ChronoUnit.FOREVER.getDuration());
      clock.advance(Duration.ofSeconds(61));
      for (String k : List.of("plain", "batch", "conditional", "txn")) {
        assertNull(s.get(b(k)), k + " follows the default");
      }
      assertArrayEquals(b("3"), s.get(b("own")));
      assertArrayEquals(b("6"), s.get(b("txn-own")));
      clock.advance(Duration.ofHours(3));
      assertNull(s.get(b("own")));
      assertNull(s.get(b("txn-own")));
      assertArrayEquals(b("7"), s.get(b("long")), "a ttl past what a long holds never expires");
    }
  }

  @Test
  void aPutWithoutTtlReplacesAnExpiringValueForGood() {
    try (Store s = Sett.open(dir, options())) {
      s.put(b("k"), b("temporary"), Duration.ofSeconds(1));
      s.put(b("k"), b("permanent"));
      clock.advance(Duration.ofDays(365));
      assertArrayEquals(b("permanent"), s.get(b("k")));
      s.put(b("k"), b("temporary again"), Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(1));
      assertNull(s.get(b("k")));
    }
  }

  @Test
  void conditionalWritesTreatAnExpiredKeyAsAbsent() {
    try (Store s = Sett.open(dir, options())) {
      s.put(b("lock"), b("holder-1"), Duration.ofSeconds(30));
      assertFalse(s.putIfAbsent(b("lock"), b("holder-2")));
      clock.advance(Duration.ofSeconds(30));
      assertFalse(s.replace(b("lock"), b("holder-1"), b("renewed")), "an expired value is no value");
      assertFalse(s.delete(b("lock"), b("holder-1")));
      assertTrue(s.putIfAbsent(b("lock"), b("holder-2")), "the expired lock can be taken");
      assertArrayEquals(b("holder-2"), s.get(b("lock")));
      s.put(b("gone"), b("x"), Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(1));
      s.delete(b("gone"));
      assertNull(s.get(b("gone")));
    }
  }

  @Test
  void aTransactionThatReadAnExpiredKeyAsAbsentDoesNotConflictWithTheExpiry() {
    try (Store s = Sett.open(dir, options())) {
      s.put(b("k"), b("v"), Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(2));
      try (Transaction t = s.beginTransaction()) {
        assertNull(t.get(b("k")));
        assertTrue(t.putIfAbsent(b("k"), b("fresh")));
        t.commit();
      }
      assertArrayEquals(b("fresh"), s.get(b("k")));
    }
  }

  @Test
  void compactionDropsExpiredRecordsAndTakesTheirSpaceBack() {
    try (Store s = Sett.open(dir, options())) {
      byte[] value = new byte[500];
      for (int i = 0; i < 600; i++) {
        s.put(b("cache-" + i), value, Duration.ofMinutes(5));
      }
      for (int i = 0; i < 20; i++) {
        s.put(b("keep-" + i), b("forever"));
      }
      long disk = s.stats().diskBytes();
      long deadBefore = s.stats().deadBytes();
      assertEquals(620, s.stats().liveKeys());
      assertTrue(s.compactionPlan(false).isEmpty(), "nothing has expired yet");
      clock.advance(Duration.ofMinutes(5));
      assertTrue(s.stats().deadBytes() - deadBefore >= 600L * 500, "expired bytes count as dead: "
          + s.stats().deadBytes());
      assertFalse(s.compactionPlan(false).isEmpty(), "expired data alone triggers compaction");
      CompactionResult r = s.compact();
      assertTrue(r.expiredDropped() >= 550, "the sealed segments' expired records: " + r.expiredDropped());
      // The active segment is compacted only when forced (or once it is worth a new segment).
      CompactionResult forced = s.compact(true);
      assertEquals(600, r.expiredDropped() + forced.expiredDropped());
      assertEquals(20, s.stats().liveKeys());
      assertTrue(s.stats().diskBytes() < disk / 2, s.stats().diskBytes() + " of " + disk);
      for (int i = 0; i < 20; i++) {
        assertArrayEquals(b("forever"), s.get(b("keep-" + i)));
      }
      assertNull(s.get(b("cache-0")));
    }
    try (Store s = Sett.open(dir, options())) {
      assertEquals(20, s.stats().liveKeys(), "the dropped keys do not come back on open");
      try (Snapshot snap = s.snapshot(); Cursor c = snap.scan(KeyRange.prefix(b("cache-")))) {
        assertFalse(c.next());
      }
    }
  }

  @Test
  void anExpiredRecordWithOlderVersionsOnDiskIsKeptUntilTheyAreGone() {
    // Small segments must not join a run on their size alone here: the one holding k's old record
    // has to stay while the one holding its expired record goes.
    StoreOptions noSmallJoin = options().toBuilder().compactionInclude(0.3, 0).build();
    try (Store s = Sett.open(dir, noSmallJoin)) {
      s.put(b("k"), b("old, permanent"));
      for (int i = 0; i < 200; i++) {
        s.put(b("filler-" + i), new byte[300]); // k's first record stays in a segment with little waste
      }
      s.put(b("k"), b("new, expiring"), Duration.ofSeconds(1));
      for (int i = 0; i < 400; i++) {
        s.put(b("cache-" + i), new byte[300], Duration.ofSeconds(1)); // segments that will be all waste
      }
      clock.advance(Duration.ofSeconds(2));
      assertNull(s.get(b("k")));
      CompactionResult r = s.compact();
      assertTrue(r.expiredDropped() > 300, "the expired segments were compacted: " + r);
      assertNull(s.get(b("k")), "dropping the expired record must not bring the old value back");
    }
    try (Store s = Sett.open(dir, options())) {
      assertNull(s.get(b("k")), "nor may an open, which would find the old record on disk");
      s.compact(true);
      assertNull(s.get(b("k")));
    }
    try (Store s = Sett.open(dir, options())) {
      assertNull(s.get(b("k")));
    }
  }

  @Test
  void expiryIsKeptAcrossReopenFromHintsAndFromScans() throws Exception {
    try (Store s = Sett.open(dir, options())) {
      for (int i = 0; i < 400; i++) {
        s.put(b("k" + i), new byte[200], Duration.ofSeconds(10 + i));
      }
    }
    try (Store s = Sett.open(dir, options())) {
      clock.advance(Duration.ofSeconds(10 + 100));
      assertNull(s.get(b("k100")));
      assertTrue(s.contains(b("k101")));
      assertTrue(s.stats().deadBytes() >= 100L * 200, "the hints carried the expiries to the planner");
    }
    for (Path hint : StoreTestSupport.hintFiles(dir)) {
      Files.delete(hint);
    }
    try (Store s = Sett.open(dir, options())) {
      assertNull(s.get(b("k100")));
      assertTrue(s.contains(b("k101")));
      assertTrue(s.stats().deadBytes() >= 100L * 200, "the scans found the expiries");
      CompactionResult r = s.compact(true);
      assertEquals(101, r.expiredDropped());
    }
    VerifyReport report = Sett.verify(dir);
    assertTrue(report.problems().isEmpty(), report.problems().toString());
  }

  @Test
  void badTtlsAreRefusedAndTinyOnesRoundUp() {
    try (Store s = Sett.open(dir, options())) {
      assertThrows(InvalidInputException.class, () -> s.put(b("k"), b("v"), Duration.ZERO));
      assertThrows(InvalidInputException.class, () -> s.put(b("k"), b("v"), Duration.ofSeconds(-1)));
      assertThrows(InvalidInputException.class, () -> s.put(b("k"), b("v"), null));
      assertThrows(InvalidInputException.class, () -> new WriteBatch().put(b("k"), b("v"), Duration.ZERO));
      assertThrows(InvalidInputException.class, () -> StoreOptions.builder().defaultTtl(Duration.ofMillis(-5)));
      try (Transaction t = s.beginTransaction()) {
        assertThrows(InvalidInputException.class, () -> t.put(b("k"), b("v"), Duration.ZERO));
      }
      assertNull(s.get(b("k")), "nothing was written");
      s.put(b("tiny"), b("v"), Duration.ofNanos(1));
      assertArrayEquals(b("v"), s.get(b("tiny")), "a positive ttl never expires as it is written");
      clock.advance(Duration.ofMillis(1));
      assertNull(s.get(b("tiny")));
    }
  }

  @Test
  void backgroundCompactionReclaimsExpiredDataWithoutAnyDelete() throws Exception {
    StoreOptions auto = options().toBuilder().autoCompaction(true).build();
    try (Store s = Sett.open(dir, auto)) {
      for (int i = 0; i < 600; i++) {
        s.put(b("cache-" + i), new byte[500], Duration.ofMinutes(1));
      }
      long disk = s.stats().diskBytes();
      clock.advance(Duration.ofMinutes(2));
      long deadline = System.nanoTime() + 30_000_000_000L;
      // Every sealed segment is compacted; the active one keeps its few expired records until it
      // is worth replacing, as it keeps dead ones.
      while (s.stats().liveKeys() > 100 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(s.stats().liveKeys() <= 100, "the compaction thread dropped the expired keys: " + s.stats().liveKeys());
      assertTrue(s.stats().diskBytes() < disk / 2, s.stats().diskBytes() + " of " + disk);
    }
  }

  @Test
  void modelOfRandomExpiringWritesMatchesOnEveryPath() {
    java.util.Random rnd = new java.util.Random(7);
    java.util.Map<String, String> values = new java.util.HashMap<>();
    java.util.Map<String, Long> expiries = new java.util.HashMap<>();
    try (Store s = Sett.open(dir, options())) {
      for (int step = 0; step < 3000; step++) {
        String k = "k" + rnd.nextInt(50);
        int op = rnd.nextInt(10);
        if (op < 4) {
          String v = "v" + step;
          long ttl = 1 + rnd.nextInt(5000);
          s.put(b(k), b(v), Duration.ofMillis(ttl));
          values.put(k, v);
          expiries.put(k, clock.millis() + ttl);
        } else if (op < 5) {
          s.put(b(k), b("p" + step));
          values.put(k, "p" + step);
          expiries.remove(k);
        } else if (op < 6) {
          s.delete(b(k));
          values.remove(k);
          expiries.remove(k);
        } else if (op < 8) {
          clock.advance(Duration.ofMillis(rnd.nextInt(400)));
        } else if (op < 9) {
          s.compact(rnd.nextBoolean());
        } else {
          Long at = expiries.get(k);
          String expected = at != null && at <= clock.millis() ? null : values.get(k);
          assertEquals(expected, s.get(b(k)) == null ? null : s(s.get(b(k))), "step " + step + " " + k);
        }
      }
      List<String> expected = new ArrayList<>();
      for (var e : new java.util.TreeMap<>(values).entrySet()) {
        Long at = expiries.get(e.getKey());
        if (at == null || at > clock.millis()) {
          expected.add(e.getKey());
        }
      }
      List<String> scanned = new ArrayList<>();
      try (Snapshot snap = s.snapshot(); Cursor c = snap.scan(KeyRange.all())) {
        while (c.next()) {
          scanned.add(s(c.key().toByteArray()));
        }
      }
      assertEquals(expected, scanned);
    }
  }
}
