package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What a long-lived store keeps must not grow with its history: one slot per thread that ever read
 * (thread-per-request and virtual threads read once and die), or arrays sized by the highest
 * segment id ever created (ids only grow).
 */
class GrowthWithHistoryTest {
  /**
   * The store's path in the in-memory storage. Its lock file is real (locks are the operating
   * system's), so the path is a fresh temporary directory: a fixed one such as /store was shared
   * with every other test JVM on the machine.
   */
  @org.junit.jupiter.api.io.TempDir static Path DIR;
  /**
   * Enough that a slot kept per dead thread shows at once (the slot count is checked against 64)
   * and that a per-read cost growing with the threads seen shows in the ratio. 100,000 took 25 s
   * of the test command for no assertion that 20,000 does not make as well.
   */
  private static final int THREADS = 20_000;

  /** Starts a thread running {@code task}; platform or virtual. */
  private interface Starter {
    Thread start(Runnable task) throws Exception;
  }

  /**
   * {@value #THREADS} threads, a few alive at a time, each doing one read and one callback read,
   * then dying. Returns how long the last tenth took per thread over the first tenth.
   */
  private static double costRatio(SettStore store, Starter starter, String what) throws Exception {
    AtomicInteger wrong = new AtomicInteger();
    Runnable read = () -> {
      if (store.get(b("k")) == null || store.read(b("k"), ByteView::size) != 5) {
        wrong.incrementAndGet();
      }
    };
    int tenth = THREADS / 10;
    long first = 0;
    long last = 0;
    Thread[] batch = new Thread[4];
    for (int done = 0; done < THREADS; done += batch.length) {
      long start = System.nanoTime();
      for (int t = 0; t < batch.length; t++) {
        batch[t] = starter.start(read);
      }
      for (Thread t : batch) {
        t.join();
      }
      long took = System.nanoTime() - start;
      if (done < tenth) {
        first += took;
      } else if (done >= THREADS - tenth) {
        last += took;
      }
    }
    assertEquals(0, wrong.get(), what + ": reads returned wrong values");
    int slots = store.epochs().slotCount();
    assertTrue(slots <= 64, what + ": " + slots + " read slots for at most " + batch.length + " threads alive at once");
    double ratio = (double) last / first;
    System.out.printf("%s: %d threads, %d slots at the end, last tenth / first tenth = %.2f%n", what, THREADS, slots, ratio);
    return ratio;
  }

  private static SettStore open() throws Exception {
    MemoryStorage disk = new MemoryStorage();
    disk.createDirectories(DIR);
    SettStore s = SettStore.open(disk, DIR, StoreOptions.defaults());
    s.put(b("k"), b("value"));
    return s;
  }

  @Test
  void shortLivedPlatformThreadsCostTheSameAtTheEndAsAtTheStart() throws Exception {
    try (SettStore s = open()) {
      double ratio = costRatio(s, task -> {
        Thread t = new Thread(task);
        t.start();
        return t;
      }, "platform threads");
      assertTrue(ratio < 3, "the cost per new thread grew " + ratio + " times");
    }
  }

  @Test
  void shortLivedVirtualThreadsCostTheSameAtTheEndAsAtTheStart() throws Exception {
    Method ofVirtual;
    try {
      ofVirtual = Thread.class.getMethod("ofVirtual");
    } catch (NoSuchMethodException e) {
      org.junit.jupiter.api.Assumptions.abort("virtual threads need JDK 21+ (CI runs this test on JDK 25)");
      return;
    }
    Object builder = ofVirtual.invoke(null);
    // Through the public interface Thread.Builder: its implementation class is not exported.
    Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
    Function<Runnable, Thread> virtual = task -> {
      try {
        return (Thread) start.invoke(builder, task);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    };
    try (SettStore s = open()) {
      double ratio = costRatio(s, virtual::apply, "virtual threads");
      assertTrue(ratio < 3, "the cost per new thread grew " + ratio + " times");
    }
  }

  @Test
  void segmentTablesAndSnapshotsAreSizedByLiveSegmentsNotByIds() throws Exception {
    MemoryStorage disk = new MemoryStorage();
    disk.createDirectories(DIR);
    StoreOptions small = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();
    try (SettStore s = SettStore.open(disk, DIR, small)) {
      byte[] value = new byte[30_000];
      for (int i = 0; s.segmentTable().get(5_000) == null; i++) {
        s.put(b("k" + (i % 4)), value);
        if (i % 50 == 0) {
          s.compact(true);
        }
      }
      int live = s.stats().segmentCount();
      assertTrue(live < 40, live + " live segments");
      int table = s.segmentTable().capacity();
      assertTrue(table <= 4 * Math.max(live, 4), "a table of " + table + " slots for " + live + " live segments");
      try (Snapshot snap = s.snapshot()) {
        int pins = ((SettSnapshot) snap).pinnedCapacity();
        assertTrue(pins <= 4 * Math.max(live, 4), "a snapshot of " + pins + " slots for " + live + " live segments");
        assertArrayEquals(value, snap.get(b("k1")).toByteArray());
      }
    }
  }
}
