package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupt is one thread's business: the interrupted call may fail with a {@link StoreException}
 * (its interrupt status kept) and nothing else; other threads keep writing, and nothing acknowledged
 * is lost.
 */
class InterruptTest {
  @TempDir Path dir;

  private static final StoreOptions OPTIONS = StoreOptions.builder()
      .segmentSize(64 << 10)
      .syncMode(SyncMode.ALWAYS)
      .build();

  /** Runs {@code call} on this thread with its interrupt status set; a failure must be a StoreException. */
  private static void interrupted(Runnable call) {
    Thread.currentThread().interrupt();
    try {
      call.run();
    } catch (StoreException e) {
      // allowed
    } finally {
      assertTrue(Thread.interrupted(), "the interrupt status was cleared");
    }
  }

  @Test
  void everyCallOnAnInterruptedThreadFailsAloneOrSucceeds() {
    try (Store s = Sett.open(dir, OPTIONS)) {
      s.put(b("seed"), b("v"));
      byte[] big = new byte[20_000];
      for (int i = 0; i < 20; i++) {
        int n = i;
        interrupted(() -> s.put(b("p" + n), big));
        interrupted(() -> s.write(new WriteBatch().put(b("w" + n), big).delete(b("seed"))));
        interrupted(s::sync);
        interrupted(() -> s.get(b("p" + n)));
        interrupted(() -> s.read(b("p" + n), ByteView::size));
        interrupted(() -> {
          try (Snapshot snap = s.snapshot()) {
            ByteView v = snap.get(b("p" + n));
            if (v != null) {
              v.asByteBuffer();
            }
          }
        });
        interrupted(() -> s.compact(true));
      }
      // Not interrupted any more: everything works, from this thread and from another one.
      s.put(b("after"), b("ok"));
      s.sync();
      assertArrayEquals(b("ok"), s.get(b("after")));
      s.compact(true);
    }
    try (Store s = Sett.open(dir, OPTIONS)) {
      assertArrayEquals(b("ok"), s.get(b("after")));
    }
  }

  @Test
  void randomInterruptsFailOnlyTheInterruptedCalls() throws Exception {
    Map<String, byte[]> acked = new ConcurrentHashMap<>();
    List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    try (Store s = Sett.open(dir, OPTIONS)) {
      Thread[] writers = new Thread[3];
      for (int t = 0; t < writers.length; t++) {
        int id = t;
        writers[t] = new Thread(() -> {
          for (int i = 0; !stop.get(); i++) {
            String key = "t" + id + "-" + (i % 500);
            byte[] value = b(key + "@" + i + "x".repeat(i % 300));
            try {
              if (i % 7 == 0) {
                s.write(new WriteBatch().put(b(key), value));
              } else {
                s.put(b(key), value);
              }
              acked.put(key, value);
              ok.incrementAndGet();
            } catch (StoreException e) {
              failed.incrementAndGet();
            } catch (Throwable e) {
              unexpected.add(e);
            }
            Thread.interrupted();
          }
        });
        writers[t].start();
      }
      long end = System.nanoTime() + 3_000_000_000L;
      while (System.nanoTime() < end) {
        writers[ThreadLocalRandom.current().nextInt(writers.length)].interrupt();
        Thread.sleep(1);
      }
      stop.set(true);
      for (Thread w : writers) {
        w.join();
      }
      assertTrue(unexpected.isEmpty(), "non-StoreException failures: " + unexpected);
      // The store still takes writes: the interrupts did not poison it.
      s.put(b("after"), b("ok"));
      for (Map.Entry<String, byte[]> e : acked.entrySet()) {
        assertArrayEquals(e.getValue(), s.get(b(e.getKey())), e.getKey());
      }
    }
    assertTrue(failed.get() * 10 < ok.get(), ok + " writes acknowledged, " + failed + " failed: interrupts spread");
    try (Store s = Sett.open(dir, OPTIONS)) {
      for (Map.Entry<String, byte[]> e : acked.entrySet()) {
        assertArrayEquals(e.getValue(), s.get(b(e.getKey())), e.getKey() + " lost after reopening");
      }
      assertEquals("ok", new String(s.get(b("after"))));
    }
  }
}
