package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.InvalidInputException;
import dev.sett.api.ReadOnlyStoreException;
import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code putIfAbsent}, {@code replace} and {@code delete(key, expected)}: what applies, atomically. */
class ConditionalWriteTest {
  private static final StoreOptions SMALL = StoreOptions.builder().segmentSize(64 << 10).build();

  @TempDir Path dir;

  @Test
  void putIfAbsentWritesOnlyWhereTheKeyHasNoValue() {
    try (Store s = Sett.open(dir, SMALL)) {
      assertTrue(s.putIfAbsent(b("k"), b("first")));
      assertFalse(s.putIfAbsent(b("k"), b("second")));
      assertArrayEquals(b("first"), s.get(b("k")));
      s.delete(b("k"));
      assertTrue(s.putIfAbsent(b("k"), b("after-delete")), "a deleted key has no value");
      assertArrayEquals(b("after-delete"), s.get(b("k")));
      assertTrue(s.putIfAbsent(b("empty"), new byte[0]));
      assertFalse(s.putIfAbsent(b("empty"), b("x")), "an empty value is a value");
    }
  }

  @Test
  void replaceAppliesOnlyOverTheExpectedValue() {
    try (Store s = Sett.open(dir, SMALL)) {
      assertFalse(s.replace(b("k"), b("v1"), b("v2")), "an absent key has no expected value");
      assertNull(s.get(b("k")));
      s.put(b("k"), b("v1"));
      assertFalse(s.replace(b("k"), b("v"), b("v2")), "a prefix of the value is not the value");
      assertFalse(s.replace(b("k"), b("v12"), b("v2")), "nor is a longer one");
      assertArrayEquals(b("v1"), s.get(b("k")));
      assertTrue(s.replace(b("k"), b("v1"), b("v2")));
      assertArrayEquals(b("v2"), s.get(b("k")));
      byte[] big = new byte[5000];
      big[4999] = 7;
      assertTrue(s.replace(b("k"), b("v2"), big));
      byte[] almost = big.clone();
      almost[4999] = 8;
      assertFalse(s.replace(b("k"), almost, b("v3")), "the last byte differs");
      assertTrue(s.replace(b("k"), big, new byte[0]));
      assertTrue(s.replace(b("k"), new byte[0], b("v4")));
      assertArrayEquals(b("v4"), s.get(b("k")));
    }
  }

  @Test
  void deleteWithAnExpectedValueRemovesOnlyThatValue() {
    try (Store s = Sett.open(dir, SMALL)) {
      assertFalse(s.delete(b("k"), b("v")));
      s.put(b("k"), b("v"));
      assertFalse(s.delete(b("k"), b("w")));
      assertArrayEquals(b("v"), s.get(b("k")));
      assertTrue(s.delete(b("k"), b("v")));
      assertNull(s.get(b("k")));
      assertFalse(s.delete(b("k"), b("v")), "already gone");
    }
  }

  @Test
  void conditionalWritesSurviveAReopen() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.putIfAbsent(b("a"), b("1"));
      s.put(b("b"), b("1"));
      s.replace(b("b"), b("1"), b("2"));
      s.put(b("c"), b("1"));
      s.delete(b("c"), b("1"));
    }
    try (Store s = Sett.open(dir, SMALL)) {
      assertArrayEquals(b("1"), s.get(b("a")));
      assertArrayEquals(b("2"), s.get(b("b")));
      assertNull(s.get(b("c")));
      assertEquals(2, s.stats().liveKeys());
    }
  }

  /**
   * Threads increment shared counters with read + replace loops: an increment is lost if another
   * write can come between a replace's check and its write.
   */
  @Test
  void concurrentReplaceLoopsLoseNoIncrement() throws Exception {
    int threads = 4;
    int increments = 2000;
    int counters = 3;
    try (Store s = Sett.open(dir, SMALL)) {
      for (int c = 0; c < counters; c++) {
        s.put(b("counter-" + c), longBytes(0));
      }
      AtomicInteger retries = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      Thread[] workers = new Thread[threads];
      Throwable[] failure = new Throwable[1];
      for (int t = 0; t < threads; t++) {
        int id = t;
        workers[t] = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < increments; i++) {
              byte[] key = b("counter-" + ((i + id) % counters));
              for (;;) {
                byte[] current = s.get(key);
                long next = ByteBuffer.wrap(current).getLong() + 1;
                if (s.replace(key, current, longBytes(next))) {
                  break;
                }
                retries.incrementAndGet();
              }
            }
          } catch (Throwable e) {
            synchronized (failure) {
              failure[0] = e;
            }
          }
        });
        workers[t].start();
      }
      start.countDown();
      for (Thread w : workers) {
        w.join();
      }
      if (failure[0] != null) {
        throw new AssertionError(failure[0]);
      }
      long total = 0;
      for (int c = 0; c < counters; c++) {
        total += ByteBuffer.wrap(s.get(b("counter-" + c))).getLong();
      }
      assertEquals((long) threads * increments, total, "increments lost (retries: " + retries + ")");
    }
  }

  @Test
  void racingPutIfAbsentHasExactlyOneWinner() throws Exception {
    try (Store s = Sett.open(dir, SMALL)) {
      for (int round = 0; round < 50; round++) {
        byte[] key = b("race-" + round);
        AtomicInteger winners = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] racers = new Thread[4];
        for (int t = 0; t < racers.length; t++) {
          byte[] value = b("racer-" + t);
          racers[t] = new Thread(() -> {
            try {
              start.await();
            } catch (InterruptedException e) {
              return;
            }
            if (s.putIfAbsent(key, value)) {
              winners.incrementAndGet();
            }
          });
          racers[t].start();
        }
        start.countDown();
        for (Thread r : racers) {
          r.join();
        }
        assertEquals(1, winners.get(), "round " + round);
        assertTrue(new String(s.get(key)).startsWith("racer-"));
      }
    }
  }

  @Test
  void badArgumentsAreRejectedAndChangeNothing() {
    try (Store s = Sett.open(dir, SMALL)) {
      s.put(b("k"), b("v"));
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> s.replace(b("k"), null, b("w")));
      assertTrue(e.getMessage().contains("putIfAbsent"), e.getMessage());
      assertThrows(InvalidInputException.class, () -> s.delete(b("k"), (byte[]) null));
      assertThrows(InvalidInputException.class, () -> s.putIfAbsent(null, b("v")));
      assertThrows(InvalidInputException.class, () -> s.putIfAbsent(new byte[0], b("v")));
      assertThrows(InvalidInputException.class, () -> s.putIfAbsent(b("n"), null));
      assertThrows(InvalidInputException.class, () -> s.replace(b("k"), b("v"), null));
      assertArrayEquals(b("v"), s.get(b("k")));
      assertNull(s.get(b("n")));
    }
    try (Store ro = Sett.open(dir, StoreOptions.builder().readOnly(true).build())) {
      assertThrows(ReadOnlyStoreException.class, () -> ro.putIfAbsent(b("x"), b("y")));
      assertThrows(ReadOnlyStoreException.class, () -> ro.replace(b("k"), b("v"), b("w")));
      assertThrows(ReadOnlyStoreException.class, () -> ro.delete(b("k"), b("v")));
    }
    Store closed = Sett.open(dir, SMALL);
    closed.close();
    assertThrows(StoreClosedException.class, () -> closed.putIfAbsent(b("x"), b("y")));
    assertThrows(StoreClosedException.class, () -> closed.replace(b("k"), b("v"), b("w")));
    assertThrows(StoreClosedException.class, () -> closed.delete(b("k"), b("v")));
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }
}
