package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.StoreOptions;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under thread-per-request (platform or virtual threads) every read may come from a thread the
 * store has never seen, which reads once and dies. The store's per-thread bookkeeping (the read
 * epoch slots) must then stay bounded by the threads alive at once, and registering a new thread
 * must cost the same after 100,000 threads as after the first few.
 *
 * <p>The threads run in batches of {@value #BATCH} alive at once (each reads, then waits until the
 * whole batch has read, then dies). After {@value #WARM_UP} threads of warm-up, the test compares
 * the time per thread of the last tenth of the batches with the first tenth (medians, a ratio: the
 * machine is shared) and prints the figures.
 */
class ShortLivedReaderThreadsTest {
  private static final int THREADS = 100_000;
  private static final int BATCH = 100;
  /** Threads run before the measured ones, so that the first tenth is not measuring the JIT. */
  private static final int WARM_UP = 5_000;
  /** Slots may exceed the threads alive at once by a constant factor (free-list slack). */
  private static final int MAX_SLOTS = 4 * (BATCH + 16);
  private static final double MAX_GROWTH = 3.0;

  @TempDir Path dir;

  @Test
  void shortLivedPlatformThreadsKeepSlotsBoundedAndCostFlat() throws Exception {
    churn("platform", r -> new Thread(r));
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void shortLivedVirtualThreadsKeepSlotsBoundedAndCostFlat() throws Throwable {
    // Thread.ofVirtual() is not in Java 17's class library, which this module compiles against.
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    Class<?> builderClass = Class.forName("java.lang.Thread$Builder");
    Object builder = lookup.findStatic(Thread.class, "ofVirtual",
        MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual"))).invoke();
    MethodHandle unstarted = lookup.findVirtual(builderClass, "unstarted",
        MethodType.methodType(Thread.class, Runnable.class)).bindTo(builder);
    churn("virtual", r -> {
      try {
        return (Thread) unstarted.invoke(r);
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private void churn(String kind, Function<Runnable, Thread> newThread) throws Exception {
    StoreOptions options = StoreOptions.builder().autoCompaction(false).build();
    try (SettStore store = (SettStore) Sett.open(dir, options)) {
      byte[] key = b("k");
      byte[] value = b("value");
      store.put(key, value);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      int warmUp = WARM_UP / BATCH;
      int batches = THREADS / BATCH;
      long[] nanos = new long[batches];
      int maxSlots = 0;
      Thread[] batch = new Thread[BATCH];
      for (int n = -warmUp; n < batches; n++) {
        long start = System.nanoTime();
        // The whole batch is alive at once: each thread reads, then waits for the others' reads.
        CountDownLatch read = new CountDownLatch(BATCH);
        CountDownLatch die = new CountDownLatch(1);
        Runnable oneRead = () -> {
          try {
            assertArrayEquals(value, store.get(key));
            Boolean sized = store.read(key, v -> v.size() == value.length);
            assertTrue(sized);
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
          read.countDown();
          try {
            die.await();
          } catch (InterruptedException e) {
            failure.compareAndSet(null, e);
          }
        };
        for (int i = 0; i < BATCH; i++) {
          batch[i] = newThread.apply(oneRead);
          batch[i].start();
        }
        read.await();
        maxSlots = Math.max(maxSlots, store.epochs().slotCount());
        die.countDown();
        for (Thread t : batch) {
          t.join();
        }
        if (n >= 0) {
          nanos[n] = System.nanoTime() - start;
        }
      }
      if (failure.get() != null) {
        throw new AssertionError("a reader failed", failure.get());
      }
      int tenth = batches / 10;
      double first = median(Arrays.copyOfRange(nanos, 0, tenth)) / BATCH / 1000.0;
      double last = median(Arrays.copyOfRange(nanos, batches - tenth, batches)) / BATCH / 1000.0;
      int slots = store.epochs().slotCount();
      System.out.printf("%s threads: %,d in batches of %d; read-epoch slots at end %d (max %d);"
          + " per new thread: first 10%% %.2f us, last 10%% %.2f us, ratio %.2f%n", kind, THREADS, BATCH,
          slots, maxSlots, first, last, last / first);
      assertTrue(maxSlots <= MAX_SLOTS, kind + ": " + maxSlots + " read-epoch slots for at most " + BATCH
          + " reader threads alive at once");
      assertTrue(last <= MAX_GROWTH * first, String.format("%s: a new thread cost %.2f us in the first"
          + " tenth and %.2f us in the last", kind, first, last));
    }
  }

  private static double median(long[] values) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }
}
