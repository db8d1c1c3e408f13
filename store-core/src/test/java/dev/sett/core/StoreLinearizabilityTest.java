package dev.sett.core;

import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of a whole store: concurrent put, delete, an atomic two-key batch, the conditional
 * writes ({@code putIfAbsent}, {@code replace}, {@code delete} with an expected value), get, and a
 * two-key read on one snapshot, against a {@link HashMap}. Small segments (64 KiB) and automatic
 * compaction, so rolls and compaction's moves happen under the readers.
 *
 * <p>Stress testing only: Lincheck's model checking instruments and schedules every shared-memory
 * access of the code under test, which does not reach the store's memory-mapped segments (Chronicle
 * reads them through {@code Unsafe} on native addresses) nor its file I/O, so it could not explore
 * the interleavings that matter here.
 *
 * <p>Lincheck builds a fresh instance for every run; opening a store each time would dominate the
 * run time, so the instances share one store, and each one starts by deleting the keys the
 * scenarios use: the state it starts from is then the empty map, as the specification's.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:2")
@Param(name = "value", gen = IntGen.class, conf = "0:3")
@Tag("reliability")
public class StoreLinearizabilityTest {
  private static final int KEYS = 3;
  private static Store shared;

  private final Store store;

  /** Also JUnit's instance, which runs {@link #stress} and has no store. */
  public StoreLinearizabilityTest() {
    store = shared;
    for (int k = 0; store != null && k < KEYS; k++) {
      store.delete(key(k));
    }
  }

  static byte[] key(int k) {
    return StoreTestSupport.b("key-" + k);
  }

  static byte[] value(int v) {
    return StoreTestSupport.b("value-" + v);
  }

  static Integer valueOf(byte[] b) {
    return b == null ? null : Integer.valueOf(StoreTestSupport.s(b).substring("value-".length()));
  }

  @Operation
  public void put(@Param(name = "key") int k, @Param(name = "value") int v) {
    store.put(key(k), value(v));
  }

  @Operation
  public void delete(@Param(name = "key") int k) {
    store.delete(key(k));
  }

  /** Two puts in one batch: all or nothing, at one point in time. */
  @Operation
  public void putBoth(@Param(name = "key") int k1, @Param(name = "key") int k2, @Param(name = "value") int v) {
    store.write(new WriteBatch().put(key(k1), value(v)).put(key(k2), value(v + 10)));
  }

  @Operation
  public Integer get(@Param(name = "key") int k) {
    return valueOf(store.get(key(k)));
  }

  @Operation
  public boolean putIfAbsent(@Param(name = "key") int k, @Param(name = "value") int v) {
    return store.putIfAbsent(key(k), value(v));
  }

  @Operation
  public boolean replace(@Param(name = "key") int k, @Param(name = "value") int expected,
      @Param(name = "value") int v) {
    return store.replace(key(k), value(expected), value(v));
  }

  @Operation
  public boolean deleteIfEquals(@Param(name = "key") int k, @Param(name = "value") int expected) {
    return store.delete(key(k), value(expected));
  }

  /** A read-modify-write transaction: adds {@code v} to the key's number (absent: 0). */
  @Operation
  public int addTo(@Param(name = "key") int k, @Param(name = "value") int v) {
    return store.compute(t -> {
      var current = t.get(key(k));
      int n = (current == null ? 0 : valueOf(current.toByteArray())) + v;
      t.put(key(k), value(n));
      return n;
    });
  }

  /** A two-key transaction: swaps the values of two keys (an absent value swaps as absent). */
  @Operation
  public String swap(@Param(name = "key") int k1, @Param(name = "key") int k2) {
    return store.compute(t -> {
      var a = t.get(key(k1));
      var b = t.get(key(k2));
      byte[] av = a == null ? null : a.toByteArray();
      byte[] bv = b == null ? null : b.toByteArray();
      if (bv == null) {
        t.delete(key(k1));
      } else {
        t.put(key(k1), bv);
      }
      if (av == null) {
        t.delete(key(k2));
      } else {
        t.put(key(k2), av);
      }
      return valueOf(av) + "," + valueOf(bv);
    });
  }

  /** Two keys read on one snapshot: both as of one point in time. */
  @Operation
  public String snapshotRead(@Param(name = "key") int k1, @Param(name = "key") int k2) {
    try (Snapshot s = store.snapshot()) {
      var a = s.get(key(k1));
      var b = s.get(key(k2));
      return valueOf(a == null ? null : a.toByteArray()) + "," + valueOf(b == null ? null : b.toByteArray());
    }
  }

  /** The sequential specification. */
  public static final class Model {
    private final Map<Integer, Integer> map = new HashMap<>();

    public void put(int k, int v) {
      map.put(k, v);
    }

    public void delete(int k) {
      map.remove(k);
    }

    public void putBoth(int k1, int k2, int v) {
      map.put(k1, v);
      map.put(k2, v + 10);
    }

    public Integer get(int k) {
      return map.get(k);
    }

    public boolean putIfAbsent(int k, int v) {
      return map.putIfAbsent(k, v) == null;
    }

    public boolean replace(int k, int expected, int v) {
      return map.replace(k, expected, v);
    }

    public boolean deleteIfEquals(int k, int expected) {
      return map.remove(k, expected);
    }

    public int addTo(int k, int v) {
      int n = map.getOrDefault(k, 0) + v;
      map.put(k, n);
      return n;
    }

    public String swap(int k1, int k2) {
      Integer a = map.get(k1);
      Integer b = map.get(k2);
      if (b == null) {
        map.remove(k1);
      } else {
        map.put(k1, b);
      }
      if (a == null) {
        map.remove(k2);
      } else {
        map.put(k2, a);
      }
      return a + "," + b;
    }

    public String snapshotRead(int k1, int k2) {
      return map.get(k1) + "," + map.get(k2);
    }
  }

  @Test
  void stress() throws Exception {
    int iterations = ReliabilityScale.pick(60, 600);
    int invocations = 1000;
    Path dir = Files.createTempDirectory("sett-lincheck");
    try {
      shared = Sett.open(dir, StoreOptions.builder()
          .segmentSize(StoreOptions.MIN_SEGMENT_SIZE)
          .syncMode(SyncMode.NONE)
          .autoCompaction(true)
          .build());
      try {
        new StressOptions()
            .iterations(iterations)
            .invocationsPerIteration(invocations)
            .threads(3)
            .actorsPerThread(3)
            .actorsBefore(2)
            .actorsAfter(1)
            .sequentialSpecification(Model.class)
            .check(StoreLinearizabilityTest.class);
      } finally {
        shared.close();
        shared = null;
      }
      ReliabilityScale.record("linearizability: store put/delete/batch/conditional writes/get/snapshot/transactions, stress",
          iterations + " scenarios x " + invocations + " runs = " + (long) iterations * invocations
              + " invocations, 0 violations");
      StoreTestSupport.assertNothingMapped(dir);
    } finally {
      FuzzSupport.deleteTree(dir);
    }
  }
}
