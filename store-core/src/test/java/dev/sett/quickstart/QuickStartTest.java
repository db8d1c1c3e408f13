package dev.sett.quickstart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.core.Sett;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start is {@link QuickStart}, word for word: it lives in a package of its own
 * so that it can use nothing but the public API, it runs here, and the README's copy is compared
 * with the source, so neither can drift.
 */
class QuickStartTest {
  @TempDir Path tmp;

  @Test
  void quickStartRuns() {
    assertEquals(List.of("user:1 = Ada", "user:2 = Grace", "user:3 = Barbara", "3 Ada 5"),
        QuickStart.run(tmp.resolve("data")));
  }

  @Test
  void readmeShowsTheQuickStartSourceExactly() throws Exception {
    assertReadmeShows("quick start", "QuickStart.java");
  }

  /** The README's compare-and-set example, run by threads that must lose no increment. */
  @Test
  void compareAndSetExampleLosesNoIncrement() throws Exception {
    try (Store store = Sett.open(tmp.resolve("counters"))) {
      byte[] key = "hits".getBytes(StandardCharsets.UTF_8);
      Thread[] threads = new Thread[4];
      for (int t = 0; t < threads.length; t++) {
        threads[t] = new Thread(() -> {
          for (int i = 0; i < 1000; i++) {
            CompareAndSet.increment(store, key);
          }
        });
        threads[t].start();
      }
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(4001, CompareAndSet.increment(store, key));
    }
  }

  @Test
  void readmeShowsTheCompareAndSetSourceExactly() throws Exception {
    assertReadmeShows("example", "CompareAndSet.java");
  }

  /** The README's transaction example: concurrent transfers keep the total and never overdraw. */
  @Test
  void transferExampleKeepsTheTotalAndNeverOverdraws() throws Exception {
    try (Store store = Sett.open(tmp.resolve("bank"))) {
      int accounts = 5;
      for (int i = 0; i < accounts; i++) {
        store.put(account(i), java.nio.ByteBuffer.allocate(8).putLong(100).array());
      }
      java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
      Thread[] threads = new Thread[4];
      for (int t = 0; t < threads.length; t++) {
        int seed = t;
        threads[t] = new Thread(() -> {
          java.util.Random r = new java.util.Random(seed);
          for (int i = 0; i < 500; i++) {
            int a = r.nextInt(accounts);
            int b = (a + 1 + r.nextInt(accounts - 1)) % accounts;
            if (!Transfers.transfer(store, account(a), account(b), 1 + r.nextInt(80))) {
              refused.incrementAndGet();
            }
          }
        });
        threads[t].start();
      }
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(100L * accounts, Transfers.total(store, "acct/".getBytes(StandardCharsets.UTF_8)));
      for (int i = 0; i < accounts; i++) {
        assertTrue(java.nio.ByteBuffer.wrap(store.get(account(i))).getLong() >= 0, "account " + i + " overdrawn");
      }
      assertTrue(refused.get() > 0, "no transfer was ever refused: the funds check was not exercised");
    }
  }

  private static byte[] account(int i) {
    return ("acct/" + i).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readmeShowsTheTransferSourceExactly() throws Exception {
    assertReadmeShows("example", "Transfers.java");
  }

  /** The README's expiry example, against a clock the test moves. */
  @Test
  void sessionsExpireThirtyMinutesAfterTheirLastTouch() throws Exception {
    long[] now = {1_800_000_000_000L};
    java.time.InstantSource clock = () -> java.time.Instant.ofEpochMilli(now[0]);
    try (Store store = Sett.open(tmp.resolve("sessions"),
        dev.sett.api.StoreOptions.builder().clock(clock).build())) {
      byte[] cart = "cart=3 items".getBytes(StandardCharsets.UTF_8);
      Sessions.touch(store, "abc", cart);
      now[0] += java.time.Duration.ofMinutes(29).toMillis();
      assertArrayEquals(cart, Sessions.state(store, "abc"));
      Sessions.touch(store, "abc", cart);
      now[0] += java.time.Duration.ofMinutes(29).toMillis();
      assertArrayEquals(cart, Sessions.state(store, "abc"), "renewed at minute 29");
      now[0] += java.time.Duration.ofMinutes(1).toMillis();
      assertNull(Sessions.state(store, "abc"), "30 minutes after the last touch");
    }
  }

  @Test
  void readmeShowsTheSessionsSourceExactly() throws Exception {
    assertReadmeShows("example", "Sessions.java");
  }

  private static void assertReadmeShows(String label, String file) throws Exception {
    String path = "store-core/src/test/java/dev/sett/quickstart/" + file;
    String source = Files.readString(Path.of("src/test/java/dev/sett/quickstart/" + file)).strip();
    String readme = Files.readString(Path.of("../README.md"));
    String begin = "<!-- " + label + ": " + path + " -->\n```java\n";
    int start = readme.indexOf(begin);
    assertTrue(start >= 0, "the README has no block marked " + begin.strip());
    int end = readme.indexOf("\n```", start + begin.length());
    assertEquals(source, readme.substring(start + begin.length(), end).strip(),
        "the README's copy differs from " + file + ": copy the file into the README");
  }
}
