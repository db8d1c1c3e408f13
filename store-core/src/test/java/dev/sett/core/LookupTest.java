package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.StoreOptions;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LookupTest {
  @TempDir Path dir;

  /**
   * A plain read that started before a write and a compaction looks for a version that compaction
   * already dropped; it must retry at the newer visible sequence, not spin on the old one.
   */
  @Test
  void aRestartedPlainReadUsesAFreshSequence() {
    StoreOptions options = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();
    try (SettStore store = SettStore.open(FileStorage.INSTANCE, dir, options)) {
      store.put(b("k"), b("old"));
      long oldSequence = store.stats().lastSequence();
      for (int i = 0; i < 100; i++) {
        store.put(b("filler" + i), new byte[1000]);
      }
      store.put(b("k"), b("new"));
      for (int i = 0; i < 100; i++) {
        store.delete(b("filler" + i));
      }
      assertTrue(store.compact(true).segmentsCompacted() > 0);
      AtomicInteger asked = new AtomicInteger();
      PlainReads reads = store.plainReads();
      SegmentPins staleFirst = new SegmentPins() {
        @Override
        public long readSequence() {
          return asked.getAndIncrement() == 0 ? oldSequence : reads.readSequence();
        }

        @Override
        public long readTime() {
          return reads.readTime();
        }

        @Override
        public Segment acquire(int id) {
          return reads.acquire(id);
        }

        @Override
        public void release(Segment segment) {
          reads.release(segment);
        }

        @Override
        public void checkOpen() {
          reads.checkOpen();
        }
      };
      ReadContext ctx = new ReadContext();
      assertTrue(Lookup.find(store.hashIndex(), b("k"), KeyHash.hash(b("k")), staleFirst, ctx));
      assertArrayEquals(b("new"), ctx.segment.copyValue(ctx.offset));
      assertEquals(2, asked.get(), "one restart, at the fresh sequence");
    }
  }

  @Test
  void aProbeEndingInAReleasedIndexFailsAsClosedInsteadOfMissing() {
    HashIndex index = new HashIndex(16);
    index.release();
    AtomicInteger checks = new AtomicInteger();
    SegmentPins closedStore = new LatestPins() {
      @Override
      public Segment acquire(int id) {
        throw new AssertionError("a released index has no positions");
      }

      @Override
      public void checkOpen() {
        checks.incrementAndGet();
        throw new dev.sett.api.StoreClosedException("closed");
      }
    };
    org.junit.jupiter.api.Assertions.assertThrows(dev.sett.api.StoreClosedException.class,
        () -> Lookup.find(index, b("k"), KeyHash.hash(b("k")), closedStore, new ReadContext()));
    assertEquals(1, checks.get());
  }
}
