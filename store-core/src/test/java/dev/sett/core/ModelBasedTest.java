package dev.sett.core;

import static dev.sett.core.StoreTestSupport.assertNothingMapped;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import dev.sett.api.ByteView;
import dev.sett.api.ConflictException;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.Transaction;
import dev.sett.api.WriteBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Long random sequences of put (some with a ttl), delete, conditional writes, batch, snapshot, scan,
 * transactions, compaction, reopen and a clock moving forward, checked against a {@link TreeMap}
 * oracle that knows when each key expires. The oracle also records when each
 * key was last written, so it predicts exactly which transaction commits must conflict: those that
 * read a key, or walked past one in a scan, written after they began. A failure names its seed; rerun with that seed to reproduce it.
 */
class ModelBasedTest {
  @TempDir Path dir;

  /** The store's clock, moved by the test; expiry is judged by it. */
  private final TestClock time = new TestClock(1_800_000_000_000L);
  private final StoreOptions options = StoreOptions.builder().segmentSize(64 << 10)
      .maxKeySize(8).maxValueSize(3000).clock(time).build();

  /** An open snapshot and the oracle's state when it was taken. */
  private record Frozen(Snapshot snapshot, NavigableMap<byte[], byte[]> state) {
  }

  /** A buffered delete in {@link OpenTransaction#own}. */
  private static final byte[] DELETED = new byte[0];

  /**
   * An open transaction and what the oracle expects of it: the state at its snapshot, its own
   * writes, the keys it read and the parts of ranges it walked.
   */
  private static final class OpenTransaction {
    final Transaction txn;
    final NavigableMap<byte[], byte[]> state;
    final long clock;
    final NavigableMap<byte[], byte[]> own = new TreeMap<>(Arrays::compareUnsigned);
    /** The ttl (ms) of each buffered put that has one. */
    final NavigableMap<byte[], Long> ttls = new TreeMap<>(Arrays::compareUnsigned);
    final List<byte[]> reads = new ArrayList<>();
    final List<java.util.function.Predicate<byte[]>> walked = new ArrayList<>();

    OpenTransaction(Transaction txn, NavigableMap<byte[], byte[]> state, long clock) {
      this.txn = txn;
      this.state = state;
      this.clock = clock;
    }

    /** What the transaction sees for {@code k}; records the read unless it is its own write. */
    byte[] read(byte[] k) {
      byte[] w = own.get(k);
      if (w != null) {
        return w == DELETED ? null : w;
      }
      reads.add(k);
      return state.get(k);
    }

    /** The transaction's view of the whole store: its snapshot with its own writes applied. */
    NavigableMap<byte[], byte[]> view() {
      NavigableMap<byte[], byte[]> v = new TreeMap<>(state);
      for (Map.Entry<byte[], byte[]> e : own.entrySet()) {
        if (e.getValue() == DELETED) {
          v.remove(e.getKey());
        } else {
          v.put(e.getKey(), e.getValue());
        }
      }
      return v;
    }
  }

  /** The oracle: the expected contents, and when each key was last written (a tick per write). */
  private final NavigableMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
  private final NavigableMap<byte[], Long> lastWrite = new TreeMap<>(Arrays::compareUnsigned);
  private long clock;
  private int commits;
  private int conflictsSeen;

  /** When each expiring key of {@link #model} expires. */
  private final NavigableMap<byte[], Long> expiry = new TreeMap<>(Arrays::compareUnsigned);

  private void modelPut(byte[] k, byte[] v) {
    model.put(k, v);
    expiry.remove(k);
    lastWrite.put(k, clock);
  }

  private void modelPut(byte[] k, byte[] v, long expiresAt) {
    modelPut(k, v);
    expiry.put(k, expiresAt);
  }

  private void modelDelete(byte[] k) {
    model.remove(k);
    expiry.remove(k);
    lastWrite.put(k, clock);
  }

  /** The value of {@code k} now: null if absent or expired. */
  private byte[] current(byte[] k) {
    Long at = expiry.get(k);
    return at != null && at <= time.millis() ? null : model.get(k);
  }

  /** What a reader sees now: the model without its expired keys. */
  private NavigableMap<byte[], byte[]> visible() {
    NavigableMap<byte[], byte[]> v = new TreeMap<>(Arrays::compareUnsigned);
    for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
      if (current(e.getKey()) != null) {
        v.put(e.getKey(), e.getValue());
      }
    }
    return v;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 20261126})
  void randomOperationsMatchATreeMap(long seed) throws Exception {
    Random rnd = new Random(seed);
    List<Frozen> frozen = new ArrayList<>();
    List<OpenTransaction> txns = new ArrayList<>();
    Store store = Sett.open(dir, options);
    try {
      for (int step = 0; step < 4000; step++) {
        int op = rnd.nextInt(120);
        String where = "seed " + seed + " step " + step;
        if (op < 39) {
          byte[] k = key(rnd);
          byte[] v = value(rnd);
          if (rnd.nextInt(4) == 0) {
            java.time.Duration ttl = java.time.Duration.ofMillis(1 + rnd.nextInt(3000));
            store.put(k, v, ttl);
            clock++;
            modelPut(k, v, time.millis() + ttl.toMillis());
          } else {
            store.put(k, v);
            clock++;
            modelPut(k, v);
          }
        } else if (op < 45) {
          // Conditional writes, half of them with the value the key has (so that they apply).
          byte[] k = key(rnd);
          byte[] v = value(rnd);
          byte[] current = current(k);
          byte[] expected = current != null && rnd.nextBoolean() ? current.clone() : value(rnd);
          int kind = rnd.nextInt(3);
          if (kind == 0) {
            assertEquals(current == null, store.putIfAbsent(k, v), where + " putIfAbsent");
            if (current == null) {
              clock++;
              modelPut(k, v);
            }
          } else if (kind == 1) {
            boolean applies = current != null && Arrays.equals(current, expected);
            assertEquals(applies, store.replace(k, expected, v), where + " replace");
            if (applies) {
              clock++;
              modelPut(k, v);
            }
          } else {
            boolean applies = current != null && Arrays.equals(current, expected);
            assertEquals(applies, store.delete(k, expected), where + " delete if equal");
            if (applies) {
              clock++;
              modelDelete(k);
            }
          }
        } else if (op < 60) {
          byte[] k = key(rnd);
          store.delete(k);
          if (current(k) != null) { // deleting an absent (or expired) key writes nothing
            clock++;
            modelDelete(k);
          }
        } else if (op < 68) {
          WriteBatch batch = new WriteBatch();
          int n = 1 + rnd.nextInt(6);
          for (int i = 0; i < n; i++) {
            byte[] k = key(rnd);
            if (rnd.nextInt(4) == 0) {
              batch.delete(k);
            } else {
              batch.put(k, value(rnd));
            }
          }
          store.write(batch);
          clock++;
          for (WriteBatch.Op o : batch.operations()) {
            if (o.isDelete()) {
              modelDelete(o.key());
            } else {
              modelPut(o.key(), o.value());
            }
          }
        } else if (op < 80) {
          byte[] k = key(rnd);
          assertArrayEquals(current(k), store.get(k), where + " get");
        } else if (op < 84) {
          if (frozen.size() < 4) {
            frozen.add(new Frozen(store.snapshot(), visible()));
          } else {
            frozen.remove(rnd.nextInt(frozen.size())).snapshot().close();
          }
        } else if (op < 92 && !frozen.isEmpty()) {
          Frozen f = frozen.get(rnd.nextInt(frozen.size()));
          byte[] k = key(rnd);
          ByteView v = f.snapshot().get(k);
          assertArrayEquals(f.state().get(k), v == null ? null : v.toByteArray(), where + " snapshot get");
          checkScan(f.snapshot(), f.state(), rnd, where);
        } else if (op < 96) {
          try (Snapshot s = store.snapshot()) {
            checkScan(s, visible(), rnd, where);
          }
        } else if (op < 97) {
          store.compact(rnd.nextBoolean());
        } else if (op < 98) {
          for (Frozen f : frozen) {
            f.snapshot().close();
          }
          frozen.clear();
          for (OpenTransaction t : txns) {
            t.txn.close();
          }
          txns.clear();
          store.close();
          store = Sett.open(dir, options);
          checkAll(store, visible(), model.size(), where + " after reopen");
        } else if (op < 100) {
          time.advance(java.time.Duration.ofMillis(rnd.nextInt(1500)));
        } else {
          transactionStep(store, txns, rnd, where);
        }
      }
      checkAll(store, visible(), model.size(), "seed " + seed + " at the end");
      // The run must have exercised both outcomes, or it checked little.
      assertTrue(commits > 20 && conflictsSeen > 5, "commits " + commits + ", conflicts " + conflictsSeen);
    } finally {
      for (Frozen f : frozen) {
        f.snapshot().close();
      }
      for (OpenTransaction t : txns) {
        t.txn.close();
      }
      store.close();
    }
    try (Store again = Sett.open(dir, options)) {
      checkAll(again, visible(), model.size(), "seed " + seed + " final reopen");
    }
    assertNothingMapped(dir);
  }

  /** One step on an open transaction: begin, read, write, scan, commit (predicting conflicts) or abandon. */
  private void transactionStep(Store store, List<OpenTransaction> txns, Random rnd, String where) {
    if (txns.isEmpty() || (txns.size() < 3 && rnd.nextInt(8) == 0)) {
      txns.add(new OpenTransaction(store.beginTransaction(), visible(), clock));
      return;
    }
    OpenTransaction t = txns.get(rnd.nextInt(txns.size()));
    int op = rnd.nextInt(100);
    byte[] k = key(rnd);
    if (op < 25) {
      byte[] expected = t.read(k);
      ByteView v = t.txn.get(k);
      assertArrayEquals(expected, v == null ? null : v.toByteArray(), where + " transaction get");
    } else if (op < 45) {
      byte[] v = value(rnd);
      if (rnd.nextInt(4) == 0) {
        java.time.Duration ttl = java.time.Duration.ofMillis(1 + rnd.nextInt(3000));
        t.txn.put(k, v, ttl);
        t.own.put(k, v);
        t.ttls.put(k, ttl.toMillis());
      } else {
        t.txn.put(k, v);
        t.own.put(k, v);
        t.ttls.remove(k);
      }
    } else if (op < 55) {
      t.txn.delete(k);
      t.own.put(k, DELETED);
    } else if (op < 65) {
      byte[] current = t.read(k);
      byte[] v = value(rnd);
      if (rnd.nextBoolean()) {
        assertEquals(current == null, t.txn.putIfAbsent(k, v), where + " transaction putIfAbsent");
        if (current == null) {
          t.own.put(k, v);
        }
      } else {
        byte[] expected = current != null && rnd.nextBoolean() ? current.clone() : value(rnd);
        boolean applies = current != null && Arrays.equals(current, expected);
        assertEquals(applies, t.txn.replace(k, expected, v), where + " transaction replace");
        if (applies) {
          t.own.put(k, v);
        }
      }
    } else if (op < 80) {
      scanInTransaction(t, rnd, where);
    } else if (op < 95) {
      txns.remove(t);
      boolean conflicts = !t.own.isEmpty() && conflicts(t);
      try (Transaction txn = t.txn) {
        if (conflicts) {
          assertThrows(ConflictException.class, txn::commit, where + " commit should conflict");
          conflictsSeen++;
          return;
        }
        txn.commit();
        commits++;
      } catch (ConflictException e) {
        throw new AssertionError(where + " unexpected conflict: " + e.getMessage(), e);
      }
      if (!t.own.isEmpty()) {
        clock++;
        for (Map.Entry<byte[], byte[]> e : t.own.entrySet()) {
          Long ttl = t.ttls.get(e.getKey());
          if (e.getValue() == DELETED) {
            modelDelete(e.getKey());
          } else if (ttl != null) {
            modelPut(e.getKey(), e.getValue(), time.millis() + ttl); // relative to the commit
          } else {
            modelPut(e.getKey(), e.getValue());
          }
        }
      }
    } else {
      txns.remove(t);
      t.txn.close();
    }
  }

  /** Whether a key the transaction read, or one in a part of a range it walked, was written since it began. */
  private boolean conflicts(OpenTransaction t) {
    for (byte[] k : t.reads) {
      if (lastWrite.getOrDefault(k, 0L) > t.clock) {
        return true;
      }
    }
    for (Map.Entry<byte[], Long> e : lastWrite.entrySet()) {
      if (e.getValue() > t.clock) {
        for (java.util.function.Predicate<byte[]> part : t.walked) {
          if (part.test(e.getKey())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Scans a random range in the transaction, to its end or stopping early, and checks what it shows. */
  private static void scanInTransaction(OpenTransaction t, Random rnd, String where) {
    byte[] lo = rnd.nextInt(3) == 0 ? null : key(rnd);
    byte[] hi = rnd.nextInt(3) == 0 ? null : key(rnd);
    if (lo != null && hi != null && Arrays.compareUnsigned(lo, hi) > 0) {
      byte[] x = lo;
      lo = hi;
      hi = x;
    }
    boolean reverse = rnd.nextBoolean();
    KeyRange range = KeyRange.between(lo, hi);
    NavigableMap<byte[], byte[]> expected = t.view();
    if (lo != null) {
      expected = expected.tailMap(lo, true);
    }
    if (hi != null) {
      expected = expected.headMap(hi, false);
    }
    if (reverse) {
      range = range.reverse();
      expected = expected.descendingMap();
    }
    int stopAfter = rnd.nextBoolean() ? Integer.MAX_VALUE : rnd.nextInt(4) + 1;
    byte[] last = null;
    boolean exhausted = false;
    try (Cursor c = t.txn.scan(range)) {
      Iterator<Map.Entry<byte[], byte[]>> it = expected.entrySet().iterator();
      for (int n = 0; n < stopAfter; n++) {
        if (!it.hasNext()) {
          assertFalse(c.next(), where + " transaction " + range + " has extra keys");
          exhausted = true;
          break;
        }
        Map.Entry<byte[], byte[]> e = it.next();
        assertEquals(true, c.next(), where + " transaction " + range + " ended early");
        assertArrayEquals(e.getKey(), c.key().toByteArray(), where + " transaction " + range);
        assertArrayEquals(e.getValue(), c.value().toByteArray(), where + " transaction " + range);
        last = e.getKey();
      }
    }
    byte[] from = lo;
    byte[] to = hi;
    if (exhausted || last != null) {
      byte[] end = exhausted ? null : last;
      t.walked.add(k -> {
        if (reverse) {
          return (to == null || Arrays.compareUnsigned(k, to) < 0)
              && Arrays.compareUnsigned(k, end != null ? end : from != null ? from : new byte[0]) >= 0;
        }
        return (from == null || Arrays.compareUnsigned(k, from) >= 0)
            && (end != null ? Arrays.compareUnsigned(k, end) <= 0 : to == null || Arrays.compareUnsigned(k, to) < 0);
      });
    }
  }

  /**
   * Checks every visible key and nothing else; the index counts between {@code model.size()} keys
   * and {@code indexed} (expired keys stay in it until compaction drops them).
   */
  private static void checkAll(Store store, NavigableMap<byte[], byte[]> model, long indexed, String where) {
    long liveKeys = store.stats().liveKeys();
    assertTrue(liveKeys >= model.size() && liveKeys <= indexed, where + " key count " + liveKeys + " not in ["
        + model.size() + ", " + indexed + "]");
    try (Snapshot s = store.snapshot(); Cursor c = s.scan(KeyRange.all())) {
      for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
        assertEquals(true, c.next(), where + " scan ended early");
        assertArrayEquals(e.getKey(), c.key().toByteArray(), where);
        assertArrayEquals(e.getValue(), c.value().toByteArray(), where);
      }
      assertFalse(c.next(), where + " scan has extra keys");
    }
  }

  private static void checkScan(Snapshot snap, NavigableMap<byte[], byte[]> state, Random rnd, String where) {
    KeyRange range;
    NavigableMap<byte[], byte[]> expected;
    int kind = rnd.nextInt(3);
    if (kind == 0) {
      range = KeyRange.all();
      expected = state;
    } else if (kind == 1) {
      byte[] p = {(byte) rnd.nextInt(4)};
      range = KeyRange.prefix(p);
      expected = state.subMap(p, true, new byte[] {(byte) (p[0] + 1)}, false);
    } else {
      byte[] a = key(rnd);
      byte[] b = key(rnd);
      if (Arrays.compareUnsigned(a, b) > 0) {
        byte[] t = a;
        a = b;
        b = t;
      }
      range = KeyRange.between(a, b);
      expected = state.subMap(a, true, b, false);
    }
    boolean reverse = rnd.nextBoolean();
    if (reverse) {
      range = range.reverse();
      expected = expected.descendingMap();
    }
    try (Cursor c = snap.scan(range)) {
      Iterator<Map.Entry<byte[], byte[]>> it = expected.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<byte[], byte[]> e = it.next();
        assertEquals(true, c.next(), where + " " + range + " ended early");
        assertArrayEquals(e.getKey(), c.key().toByteArray(), where + " " + range);
        assertArrayEquals(e.getValue(), c.value().toByteArray(), where + " " + range);
      }
      assertFalse(c.next(), where + " " + range + " has extra keys");
    }
  }

  private static byte[] key(Random rnd) {
    byte[] k = new byte[1 + rnd.nextInt(3)];
    k[0] = (byte) rnd.nextInt(4);
    for (int i = 1; i < k.length; i++) {
      k[i] = (byte) rnd.nextInt(6);
    }
    return k;
  }

  private static byte[] value(Random rnd) {
    int n = rnd.nextInt(10) == 0 ? rnd.nextInt(3000) : rnd.nextInt(40);
    byte[] v = new byte[n];
    rnd.nextBytes(v);
    return v;
  }

}
