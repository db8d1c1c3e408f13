package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreClosedException;
import dev.sett.api.StoreOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots are documented as readable from several threads, so a thread that reads through a
 * snapshot while another thread closes it must get {@link StoreClosedException} or a correct value,
 * never a crash, a {@code NullPointerException} from inside the mapping library or an
 * {@code UncheckedIOException}. The snapshot here holds the last pin of segments compaction
 * retired, so its close is what unmaps them.
 */
class SnapshotCloseRaceTest {
  private static final int KEYS = 400;
  @TempDir Path dir;

  @Test
  void readsRacingSnapshotCloseThrowOnlyStoreClosed() throws Exception {
    StoreOptions options = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();
    List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
    AtomicLong reads = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    try (Store store = Sett.open(dir, options)) {
      byte[] value = new byte[300];
      for (int round = 0; round < 150 && unexpected.isEmpty(); round++) {
        for (int i = 0; i < KEYS; i++) {
          value[0] = (byte) round;
          store.put(b("k" + i), value);
        }
        Snapshot snapshot = store.snapshot();
        // Overwrite everything and compact: the segments the snapshot reads are retired, and the
        // snapshot's pins are the last references to them.
        for (int i = 0; i < KEYS; i++) {
          store.put(b("k" + i), new byte[10]);
        }
        store.compact(true);
        int finalRound = round;
        CountDownLatch started = new CountDownLatch(3);
        Thread getter = new Thread(() -> {
          started.countDown();
          try {
            for (int n = 0;; n++) {
              ByteView v = snapshot.get(b("k" + (n % KEYS)));
              assertEquals(300, v.size());
              assertEquals((byte) finalRound, v.getByte(0));
              reads.incrementAndGet();
            }
          } catch (StoreClosedException expected) {
            refused.incrementAndGet();
          } catch (Throwable t) {
            unexpected.add(t);
          }
        });
        Thread scanner = new Thread(() -> {
          started.countDown();
          try {
            for (;;) {
              try (Cursor c = snapshot.scan(KeyRange.all())) {
                while (c.next()) {
                  assertEquals(300, c.value().size());
                  reads.incrementAndGet();
                }
              }
            }
          } catch (StoreClosedException expected) {
            refused.incrementAndGet();
          } catch (Throwable t) {
            unexpected.add(t);
          }
        });
        // Views taken before the close and read while it happens: they read the segment's mapping
        // directly, so they must meet the close inside their own epochs.
        Thread viewReader = new Thread(() -> {
          try {
            List<ByteView> held = new ArrayList<>();
            for (int i = 0; i < KEYS; i += 7) {
              held.add(snapshot.get(b("k" + i)));
            }
            started.countDown();
            byte[] copy = new byte[300];
            for (;;) {
              for (ByteView v : held) {
                assertEquals((byte) finalRound, v.getByte(0));
                assertEquals(0L, v.getLong(292));
                v.copyTo(0, copy, 0, 300);
                assertEquals((byte) finalRound, copy[0]);
                reads.incrementAndGet();
              }
            }
          } catch (StoreClosedException expected) {
            refused.incrementAndGet();
          } catch (Throwable t) {
            unexpected.add(t);
          } finally {
            started.countDown();
          }
        });
        getter.start();
        scanner.start();
        viewReader.start();
        started.await();
        Thread.sleep(round % 3);
        snapshot.close();
        // Unmap now rather than on Chronicle's background thread, so a reader still in the mapping
        // would fault at once.
        ChronicleSupport.releasePending();
        getter.join();
        scanner.join();
        viewReader.join();
      }
    }
    if (!unexpected.isEmpty()) {
      AssertionError e = new AssertionError(unexpected.size() + " unexpected failure(s), first: " + unexpected.get(0));
      e.initCause(unexpected.get(0));
      throw e;
    }
    assertTrue(reads.get() > 0 && refused.get() == 450, reads + " reads, " + refused + " refusals");
    StoreTestSupport.assertNothingMapped(dir);
  }
}
