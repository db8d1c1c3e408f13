package dev.sett.core;

import static dev.sett.core.StoreTestSupport.assertNothingMapped;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;


import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
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
 * Long random sequences of put, delete, conditional writes, batch, snapshot, scan, compaction and
 * reopen, checked against a {@link TreeMap} oracle. A failure names its seed; rerun with that seed to reproduce it.
 */
class ModelBasedTest {
  @TempDir Path dir;

  private static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10)
      .maxKeySize(8).maxValueSize(3000).build();

  /** An open snapshot and the oracle's state when it was taken. */
  private record Frozen(Snapshot snapshot, NavigableMap<byte[], byte[]> state) {
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 20261126})
  void randomOperationsMatchATreeMap(long seed) throws Exception {
    Random rnd = new Random(seed);
    NavigableMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
    List<Frozen> frozen = new ArrayList<>();
    Store store = Sett.open(dir, OPTIONS);
    try {
      for (int step = 0; step < 4000; step++) {
        int op = rnd.nextInt(100);
        String where = "seed " + seed + " step " + step;
        if (op < 39) {
          byte[] k = key(rnd);
          byte[] v = value(rnd);
          store.put(k, v);
          model.put(k, v);
        } else if (op < 45) {
          // Conditional writes, half of them with the value the key has (so that they apply).
          byte[] k = key(rnd);
          byte[] v = value(rnd);
          byte[] current = model.get(k);
          byte[] expected = current != null && rnd.nextBoolean() ? current.clone() : value(rnd);
          int kind = rnd.nextInt(3);
          if (kind == 0) {
            assertEquals(current == null, store.putIfAbsent(k, v), where + " putIfAbsent");
            model.putIfAbsent(k, v);
          } else if (kind == 1) {
            boolean applies = current != null && Arrays.equals(current, expected);
            assertEquals(applies, store.replace(k, expected, v), where + " replace");
            if (applies) {
              model.put(k, v);
            }
          } else {
            boolean applies = current != null && Arrays.equals(current, expected);
            assertEquals(applies, store.delete(k, expected), where + " delete if equal");
            if (applies) {
              model.remove(k);
            }
          }
        } else if (op < 60) {
          byte[] k = key(rnd);
          store.delete(k);
          model.remove(k);
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
          for (WriteBatch.Op o : batch.operations()) {
            if (o.isDelete()) {
              model.remove(o.key());
            } else {
              model.put(o.key(), o.value());
            }
          }
        } else if (op < 80) {
          byte[] k = key(rnd);
          assertArrayEquals(model.get(k), store.get(k), where + " get");
        } else if (op < 84) {
          if (frozen.size() < 4) {
            frozen.add(new Frozen(store.snapshot(), new TreeMap<>(model)));
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
            checkScan(s, model, rnd, where);
          }
        } else if (op < 97) {
          store.compact(rnd.nextBoolean());
        } else if (op < 98) {
          for (Frozen f : frozen) {
            f.snapshot().close();
          }
          frozen.clear();
          store.close();
          store = Sett.open(dir, OPTIONS);
          checkAll(store, model, where + " after reopen");
        }
      }
      checkAll(store, model, "seed " + seed + " at the end");
    } finally {
      for (Frozen f : frozen) {
        f.snapshot().close();
      }
      store.close();
    }
    try (Store again = Sett.open(dir, OPTIONS)) {
      checkAll(again, model, "seed " + seed + " final reopen");
    }
    assertNothingMapped(dir);
  }

  private static void checkAll(Store store, NavigableMap<byte[], byte[]> model, String where) {
    assertEquals(model.size(), store.stats().liveKeys(), where + " key count");
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
