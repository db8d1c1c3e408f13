package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static dev.sett.core.StoreTestSupport.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.ConflictException;
import dev.sett.api.Cursor;
import dev.sett.api.InvalidInputException;
import dev.sett.api.KeyRange;
import dev.sett.api.ReadOnlyStoreException;
import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreOptions;
import dev.sett.api.Transaction;
import dev.sett.api.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions: what they see, what their commit checks, and how long what they return lives. */
class TransactionTest {
  private static final StoreOptions SMALL = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();

  @TempDir Path dir;

  private static List<String> keys(Cursor c) {
    return StoreTestSupport.entries(c);
  }

  @Test
  void readsSeeTheSnapshotPlusOwnWritesAndCommitAppliesThemAtOnce() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("a"), b("1"));
      s.put(b("b"), b("2"));
      try (Transaction t = s.beginTransaction()) {
        t.put(b("a"), b("10"));
        t.delete(b("b"));
        t.put(b("c"), b("3"));
        assertEquals("10", s(t.get(b("a")).toByteArray()));
        assertNull(t.get(b("b")), "its own delete hides the key");
        assertTrue(t.contains(b("c")));
        assertArrayEquals(b("1"), s.get(b("a")), "nothing is visible outside before commit");
        assertNull(s.get(b("c")));
        try (Cursor c = t.scan(KeyRange.all())) {
          assertEquals(List.of("a=10", "c=3"), keys(c));
        }
        try (Cursor c = t.scan(KeyRange.all().reverse())) {
          assertEquals(List.of("c=3", "a=10"), keys(c));
        }
        t.commit();
      }
      assertArrayEquals(b("10"), s.get(b("a")));
      assertNull(s.get(b("b")));
      assertArrayEquals(b("3"), s.get(b("c")));
    }
  }

  @Test
  void theTransactionReadsItsSnapshotNotLaterWrites() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("k"), b("old"));
      try (Transaction t = s.beginTransaction()) {
        s.put(b("k"), b("new"));
        s.put(b("later"), b("x"));
        assertEquals("old", s(t.get(b("k")).toByteArray()));
        assertNull(t.get(b("later")));
        try (Cursor c = t.scan(KeyRange.all())) {
          assertEquals(List.of("k=old"), keys(c));
        }
      }
    }
  }

  @Test
  void closingWithoutCommitWritesNothing() {
    try (Store s = Sett.open(dir, SMALL)) {
      long before = s.stats().lastSequence();
      try (Transaction t = s.beginTransaction()) {
        t.put(b("k"), b("v"));
      }
      assertNull(s.get(b("k")));
      assertEquals(before, s.stats().lastSequence());
    }
  }

  @Test
  void aWriteToAKeyTheTransactionReadMakesItsCommitFail() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("balance"), b("100"));
      try (Transaction t = s.beginTransaction()) {
        assertEquals("100", s(t.get(b("balance")).toByteArray()));
        s.put(b("balance"), b("50"));
        t.put(b("balance"), b("110"));
        ConflictException e = assertThrows(ConflictException.class, t::commit);
        assertTrue(e.getMessage().contains("62616c616e6365"), e.getMessage()); // the key, in hex
      }
      assertArrayEquals(b("50"), s.get(b("balance")), "the conflicting commit wrote nothing");
    }
  }

  @Test
  void aKeyFoundAbsentConflictsWhenSomeoneCreatesIt() {
    try (Store s = Sett.open(dir, SMALL)) {
      try (Transaction t = s.beginTransaction()) {
        assertFalse(t.contains(b("k")));
        s.put(b("k"), b("theirs"));
        t.put(b("other"), b("mine"));
        assertThrows(ConflictException.class, t::commit);
      }
      assertNull(s.get(b("other")));
    }
  }

  @Test
  void aKeyReadThenDeletedByAnotherConflicts() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("k"), b("v"));
      try (Transaction t = s.beginTransaction()) {
        assertTrue(t.contains(b("k")));
        s.delete(b("k"));
        t.put(b("x"), b("1"));
        assertThrows(ConflictException.class, t::commit);
      }
    }
  }

  @Test
  void writesToKeysNotReadDoNotConflict() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("read"), b("1"));
      try (Transaction t = s.beginTransaction()) {
        t.get(b("read"));
        s.put(b("blind"), b("theirs"));
        s.put(b("unrelated"), b("x"));
        t.put(b("blind"), b("mine"));
        t.commit();
      }
      assertArrayEquals(b("mine"), s.get(b("blind")), "a blind write is last-writer-wins");
    }
  }

  @Test
  void rewritingAKeyWithTheSameValueStillConflicts() {
    // A version check, not a value check: "A, then B, then A again" by others is still a change.
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("k"), b("v"));
      try (Transaction t = s.beginTransaction()) {
        t.get(b("k"));
        s.put(b("k"), b("v"));
        t.put(b("k"), b("w"));
        assertThrows(ConflictException.class, t::commit);
      }
    }
  }

  @Test
  void writeSkewIsPrevented() {
    // Two on-call doctors: each transaction checks that the other is on call, then leaves. Under
    // snapshot isolation both commit and nobody is on call; serializable isolation stops the second.
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("alice"), b("on"));
      s.put(b("bob"), b("on"));
      Transaction t1 = s.beginTransaction();
      Transaction t2 = s.beginTransaction();
      try (t1; t2) {
        assertEquals("on", s(t1.get(b("bob")).toByteArray()));
        assertEquals("on", s(t2.get(b("alice")).toByteArray()));
        t1.put(b("alice"), b("off"));
        t2.put(b("bob"), b("off"));
        t1.commit();
        assertThrows(ConflictException.class, t2::commit);
      }
      assertArrayEquals(b("on"), s.get(b("bob")));
    }
  }

  @Test
  void anInsertIntoAScannedRangeConflicts() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("item/1"), b("a"));
      s.put(b("item/3"), b("b"));
      try (Transaction t = s.beginTransaction()) {
        try (Cursor c = t.scan(KeyRange.prefix(b("item/")))) {
          assertEquals(2, keys(c).size());
        }
        s.put(b("item/2"), b("phantom"));
        t.put(b("count"), b("2"));
        assertThrows(ConflictException.class, t::commit);
      }
    }
  }

  @Test
  void anUpdateInsideAScannedRangeConflicts() {
    try (Store s = Sett.open(dir, SMALL)) {
      for (int i = 0; i < 5; i++) {
        s.put(b("k" + i), b("v"));
      }
      try (Transaction t = s.beginTransaction()) {
        try (Cursor c = t.scan(KeyRange.between(b("k1"), b("k4")))) {
          assertEquals(3, keys(c).size());
        }
        s.put(b("k0"), b("outside the range"));
        s.put(b("k4"), b("the upper bound is exclusive"));
        t.put(b("sum"), b("3"));
        t.commit();
      }
      try (Transaction t = s.beginTransaction()) {
        try (Cursor c = t.scan(KeyRange.between(b("k1"), b("k4")))) {
          assertEquals(3, keys(c).size());
        }
        s.put(b("k2"), b("changed"));
        t.put(b("sum"), b("3"));
        assertThrows(ConflictException.class, t::commit);
      }
    }
  }

  @Test
  void aDeleteInsideAScannedRangeConflicts() {
    try (Store s = Sett.open(dir, SMALL)) {
      for (int i = 0; i < 5; i++) {
        s.put(b("k" + i), b("v"));
      }
      try (Transaction t = s.beginTransaction()) {
        try (Cursor c = t.scan(KeyRange.all())) {
          assertEquals(5, keys(c).size());
        }
        s.delete(b("k2"));
        t.put(b("sum"), b("5"));
        assertThrows(ConflictException.class, t::commit);
      }
    }
  }

  @Test
  void writesBeyondWhereTheScanStoppedDoNotConflict() {
    try (Store s = Sett.open(dir, SMALL)) {
      for (int i = 0; i < 6; i++) {
        s.put(b("k" + i), b("v"));
      }
      try (Transaction t = s.beginTransaction()) {
        try (Cursor c = t.scan(KeyRange.all())) {
          assertTrue(c.next());
          assertTrue(c.next()); // walked k0, k1
        }
        s.put(b("k3"), b("changed"));
        s.put(b("k9"), b("new"));
        t.put(b("x"), b("1"));
        t.commit();
      }
      try (Transaction t = s.beginTransaction()) {
        try (Cursor c = t.scan(KeyRange.all().reverse())) {
          assertTrue(c.next()); // walked k9 only
        }
        s.put(b("k0"), b("changed"));
        t.put(b("y"), b("1"));
        t.commit();
      }
      try (Transaction t = s.beginTransaction()) {
        try (Cursor c = t.scan(KeyRange.all().reverse())) {
          assertTrue(c.next());
          assertTrue(c.next()); // walked y, x
        }
        s.put(b("xa"), b("between x and y"));
        t.put(b("z"), b("1"));
        assertThrows(ConflictException.class, t::commit);
      }
    }
  }

  @Test
  void aScanStoppedOnItsOwnWriteCoversTheRangeUpToIt() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("a"), b("1"));
      s.put(b("d"), b("1"));
      try (Transaction t = s.beginTransaction()) {
        t.put(b("c"), b("mine"));
        t.delete(b("a"));
        Cursor c = t.scan(KeyRange.all());
        assertTrue(c.next());
        assertEquals("c", s(c.key().toByteArray()), "its own delete hides a; its own put shows c");
        s.put(b("b"), b("phantom before c"));
        assertThrows(ConflictException.class, t::commit, "a was walked past and b lies before c");
      }
      try (Transaction t = s.beginTransaction()) {
        t.put(b("c2"), b("mine"));
        Cursor c = t.scan(KeyRange.all());
        assertTrue(c.next());
        assertTrue(c.next());
        assertTrue(c.next());
        assertEquals("c2", s(c.key().toByteArray()));
        s.put(b("e"), b("after c2"));
        t.commit();
      }
    }
  }

  @Test
  void anEmptyScannedRangeConflictsWithAnInsert() {
    try (Store s = Sett.open(dir, SMALL)) {
      try (Transaction t = s.beginTransaction()) {
        try (Cursor c = t.scan(KeyRange.prefix(b("p/")))) {
          assertFalse(c.next());
        }
        s.put(b("p/1"), b("x"));
        t.put(b("q"), b("1"));
        assertThrows(ConflictException.class, t::commit);
      }
    }
  }

  @Test
  void compactionBetweenSnapshotAndCommitCausesNoConflict() {
    try (Store s = Sett.open(dir, SMALL)) {
      for (int i = 0; i < 200; i++) {
        s.put(b("k" + (i % 20)), new byte[300]);
      }
      try (Transaction t = s.beginTransaction()) {
        for (int i = 0; i < 20; i++) {
          assertTrue(t.contains(b("k" + i)));
        }
        try (Cursor c = t.scan(KeyRange.all())) {
          assertEquals(20, keys(c).size());
        }
        assertTrue(s.compact(true).segmentsCompacted() > 0, "the records the transaction read moved");
        t.put(b("k0"), b("after compaction"));
        t.commit();
      }
      assertArrayEquals(b("after compaction"), s.get(b("k0")));
    }
  }

  @Test
  void aTransactionThatWroteNothingNeverConflicts() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("k"), b("v"));
      try (Transaction t = s.beginTransaction()) {
        t.get(b("k"));
        s.put(b("k"), b("w"));
        t.commit();
      }
      try (Transaction t = s.beginReadOnlyTransaction()) {
        assertTrue(t.isReadOnly());
        assertEquals("w", s(t.get(b("k")).toByteArray()));
        assertThrows(ReadOnlyStoreException.class, () -> t.put(b("k"), b("x")));
        assertThrows(ReadOnlyStoreException.class, () -> t.delete(b("k")));
        s.put(b("k"), b("z"));
        t.commit();
      }
    }
  }

  @Test
  void conditionalWritesInsideATransactionReadTheKey() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("k"), b("v1"));
      try (Transaction t = s.beginTransaction()) {
        assertFalse(t.putIfAbsent(b("k"), b("x")));
        assertTrue(t.putIfAbsent(b("new"), b("n")));
        assertFalse(t.putIfAbsent(b("new"), b("again")), "its own put counts");
        assertFalse(t.replace(b("k"), b("nope"), b("x")));
        assertTrue(t.replace(b("k"), b("v1"), b("v2")));
        assertTrue(t.replace(b("k"), b("v2"), b("v3")), "replace sees its own write");
        assertFalse(t.delete(b("k"), b("v1")));
        assertTrue(t.delete(b("new"), b("n")));
        assertThrows(InvalidInputException.class, () -> t.replace(b("k"), null, b("x")));
        t.commit();
      }
      assertArrayEquals(b("v3"), s.get(b("k")));
      assertNull(s.get(b("new")));
      try (Transaction t = s.beginTransaction()) {
        assertTrue(t.putIfAbsent(b("fresh"), b("mine")));
        s.put(b("fresh"), b("theirs"));
        assertThrows(ConflictException.class, t::commit, "putIfAbsent read the key absent");
      }
      assertArrayEquals(b("theirs"), s.get(b("fresh")));
    }
  }

  @Test
  void viewsLastUntilCloseAndTheTransactionEndsAtCommit() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("k"), b("stored"));
      Transaction t = s.beginTransaction();
      ByteView stored = t.get(b("k"));
      t.put(b("own"), b("buffered"));
      ByteView own = t.get(b("own"));
      Cursor c = t.scan(KeyRange.all());
      assertTrue(c.next());
      ByteView cursorKey = c.key();
      t.commit();
      assertEquals("stored", s(stored.toByteArray()), "views outlive the commit");
      assertEquals("buffered", s(own.toByteArray()));
      assertEquals("k", s(cursorKey.toByteArray()));
      assertThrows(StoreClosedException.class, () -> t.get(b("k")));
      assertThrows(StoreClosedException.class, () -> t.put(b("k"), b("x")));
      assertThrows(StoreClosedException.class, t::commit);
      assertThrows(StoreClosedException.class, c::next);
      t.close();
      t.close();
      assertThrows(StoreClosedException.class, stored::size);
      assertThrows(StoreClosedException.class, () -> own.getByte(0));
      assertThrows(StoreClosedException.class, cursorKey::toByteArray);
      assertThrows(StoreClosedException.class, c::next);
      assertEquals(0, s.stats().openSnapshots(), "the transaction's snapshot was released");
    }
  }

  @Test
  void ownWriteViewsAreReadOnlyAndBigEndian() {
    try (Store s = Sett.open(dir, SMALL)) {
      try (Transaction t = s.beginTransaction()) {
        byte[] value = ByteBuffer.allocate(12).putInt(7).putLong(-2).array();
        t.put(b("k"), value);
        value[0] = 99; // the transaction copied it
        ByteView v = t.get(b("k"));
        assertEquals(7, v.getInt(0));
        assertEquals(-2, v.getLong(4));
        assertTrue(v.asByteBuffer().isReadOnly());
        assertThrows(IndexOutOfBoundsException.class, () -> v.getLong(5));
      }
    }
  }

  @Test
  void aCursorShowsTheWritesMadeBeforeItOpenedAndToleratesLaterOnes() {
    try (Store s = Sett.open(dir, SMALL)) {
      for (int i = 0; i < 5; i++) {
        s.put(b("k" + i), b("v"));
      }
      try (Transaction t = s.beginTransaction()) {
        t.put(b("k1"), b("before"));
        List<String> seen = new ArrayList<>();
        try (Cursor c = t.scan(KeyRange.all())) {
          while (c.next()) {
            String k = s(c.key().toByteArray());
            seen.add(k + "=" + s(c.value().toByteArray()));
            t.put(c.key().toByteArray(), b("touched"));
            t.put(b(k + "x"), b("added"));
          }
        }
        assertEquals(List.of("k0=v", "k1=before", "k2=v", "k3=v", "k4=v"), seen);
        t.commit();
      }
      assertArrayEquals(b("touched"), s.get(b("k3")));
      assertArrayEquals(b("added"), s.get(b("k3x")));
    }
  }

  @Test
  void closingTheStoreEndsItsTransactions() {
    Store s = Sett.open(dir, SMALL);
    s.put(b("k"), b("v"));
    Transaction t = s.beginTransaction();
    ByteView v = t.get(b("k"));
    t.put(b("k2"), b("v2"));
    s.close();
    assertThrows(StoreClosedException.class, () -> t.get(b("k")));
    assertThrows(StoreClosedException.class, t::commit);
    assertThrows(StoreClosedException.class, v::size);
    t.close();
    assertThrows(StoreClosedException.class, s::beginTransaction);
    try (Store again = Sett.open(dir, SMALL)) {
      assertNull(again.get(b("k2")));
    }
  }

  @Test
  void badInputIsRefusedBeforeAnythingIsBuffered() {
    try (Store s = Sett.open(dir, SMALL)) {
      try (Transaction t = s.beginTransaction()) {
        assertThrows(InvalidInputException.class, () -> t.put(new byte[0], b("v")));
        assertThrows(InvalidInputException.class, () -> t.put(b("k"), null));
        assertThrows(InvalidInputException.class, () -> t.put(new byte[s.options().maxKeySize() + 1], b("v")));
        assertThrows(InvalidInputException.class, () -> t.get(null));
        assertThrows(InvalidInputException.class, () -> t.scan(null));
        t.put(b("ok"), b("v"));
        t.commit();
      }
      assertArrayEquals(b("v"), s.get(b("ok")));
      assertThrows(InvalidInputException.class, () -> s.update(null));
    }
  }

  @Test
  void aCommitTooLargeForOneSegmentWritesNothing() {
    try (Store s = Sett.open(dir, SMALL)) {
      try (Transaction t = s.beginTransaction()) {
        for (int i = 0; i < 100; i++) {
          t.put(b("k" + i), new byte[1000]);
        }
        assertThrows(InvalidInputException.class, t::commit);
      }
      assertNull(s.get(b("k0")));
    }
  }

  @Test
  void readOnlyStoresRefuseReadWriteTransactions() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("k"), b("v"));
    }
    try (Store s = Sett.open(dir, SMALL.toBuilder().readOnly(true).build())) {
      assertThrows(ReadOnlyStoreException.class, s::beginTransaction);
      assertThrows(ReadOnlyStoreException.class, () -> s.update(t -> { }));
      try (Transaction t = s.beginReadOnlyTransaction()) {
        assertEquals("v", s(t.get(b("k")).toByteArray()));
      }
    }
  }

  @Test
  void updateRetriesAConflictAndReturnsWhatTheCommittedAttemptComputed() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("n"), b("0"));
      AtomicInteger attempts = new AtomicInteger();
      String result = s.compute(t -> {
        int n = Integer.parseInt(s(t.get(b("n")).toByteArray()));
        if (attempts.incrementAndGet() < 3) {
          s.put(b("n"), b(Integer.toString(n + 100))); // someone else wins, twice
        }
        t.put(b("n"), b(Integer.toString(n + 1)));
        return "saw " + n;
      });
      assertEquals(3, attempts.get());
      assertEquals("saw 200", result);
      assertArrayEquals(b("201"), s.get(b("n")));
    }
  }

  @Test
  void updateGivesUpAfterTheConfiguredAttempts() {
    try (Store s = Sett.open(dir, SMALL.toBuilder().transactionAttempts(4).build())) {
      s.put(b("n"), b("0"));
      AtomicInteger attempts = new AtomicInteger();
      ConflictException e = assertThrows(ConflictException.class, () -> s.update(t -> {
        attempts.incrementAndGet();
        t.get(b("n"));
        s.put(b("n"), b("other"));
        t.put(b("n"), b("mine"));
      }));
      assertEquals(4, attempts.get());
      assertInstanceOf(ConflictException.class, e.getCause());
      assertTrue(e.getMessage().contains("4 times"), e.getMessage());
      assertArrayEquals(b("other"), s.get(b("n")));
    }
    assertThrows(InvalidInputException.class, () -> StoreOptions.builder().transactionAttempts(0));
  }

  @Test
  void updatePassesOtherExceptionsThroughWithoutWriting() {
    try (Store s = Sett.open(dir, SMALL)) {
      AtomicInteger attempts = new AtomicInteger();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.update(t -> {
        attempts.incrementAndGet();
        t.put(b("k"), b("v"));
        throw new IllegalStateException("business rule");
      }));
      assertEquals("business rule", e.getMessage());
      assertEquals(1, attempts.get());
      assertNull(s.get(b("k")));
      assertEquals(0, s.stats().openSnapshots());
    }
  }

  @Test
  void anInterruptDuringBackOffStopsRetryingAndKeepsTheFlag() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("n"), b("0"));
      AtomicInteger attempts = new AtomicInteger();
      try {
        assertThrows(ConflictException.class, () -> s.update(t -> {
          attempts.incrementAndGet();
          t.get(b("n"));
          s.put(b("n"), b("other"));
          t.put(b("n"), b("mine"));
          Thread.currentThread().interrupt();
        }));
        assertTrue(Thread.currentThread().isInterrupted());
      } finally {
        Thread.interrupted();
      }
      assertEquals(1, attempts.get());
      s.put(b("after"), b("the store still works"));
      assertArrayEquals(b("the store still works"), s.get(b("after")));
    }
  }

  @Test
  void concurrentIncrementsThroughUpdateLoseNothing() throws Exception {
    try (Store s = Sett.open(dir, SMALL.toBuilder().transactionAttempts(1000).build())) {
      int threads = 4;
      int each = 300;
      for (int k = 0; k < 3; k++) {
        s.put(b("c" + k), ByteBuffer.allocate(8).putLong(0).array());
      }
      List<Thread> ts = new ArrayList<>();
      List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < threads; i++) {
        int seed = i;
        Thread th = new Thread(() -> {
          try {
            for (int n = 0; n < each; n++) {
              byte[] key = b("c" + ((seed + n) % 3));
              s.update(t -> t.put(key, ByteBuffer.allocate(8).putLong(t.get(key).getLong(0) + 1).array()));
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        });
        ts.add(th);
        th.start();
      }
      for (Thread th : ts) {
        th.join();
      }
      assertTrue(failures.isEmpty(), () -> failures.toString());
      long total = 0;
      for (int k = 0; k < 3; k++) {
        total += ByteBuffer.wrap(s.get(b("c" + k))).getLong();
      }
      assertEquals((long) threads * each, total);
    }
  }

  @Test
  void committedTransactionsSurviveReopen() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.update(t -> {
        t.put(b("a"), b("1"));
        t.put(b("b"), b("2"));
      });
    }
    try (Store s = Sett.open(dir, SMALL)) {
      assertArrayEquals(b("1"), s.get(b("a")));
      assertArrayEquals(b("2"), s.get(b("b")));
      s.write(new WriteBatch().delete(b("a")));
      assertNull(s.get(b("a")));
    }
  }
}
