package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A segment's notion of "durable" has one writer (appends) and several forcers (the sealer, group
 * commit, compaction). Whatever their interleaving, the segment may call itself durable only if a
 * force that started after the last append has finished.
 */
class SegmentDurabilityTest {
  /** MemoryStorage creates directories on disk too (for lock files): a temporary one, not /seg. */
  @org.junit.jupiter.api.io.TempDir static Path DIR;

  /** A storage whose force records the segment's end as it was when the force began. */
  private static final class RecordingStorage extends DelegatingStorage {
    final AtomicInteger forcedUpTo = new AtomicInteger(-1);
    volatile Segment segment;

    RecordingStorage(Storage delegate) {
      super(delegate);
    }

    @Override
    public void force(Path file) throws IOException {
      Segment s = segment;
      int end = s == null ? 0 : s.end();
      if (s == null) {
        super.force(file);
      }
      forcedUpTo.accumulateAndGet(end, Math::max);
    }
  }

  @Test
  void aSegmentIsDurableOnlyWhenAForceCoveredItsLastAppend() throws Exception {
    MemoryStorage base = new MemoryStorage();
    base.createDirectories(DIR);
    RecordingStorage storage = new RecordingStorage(base);
    SegmentFiles files = new SegmentFiles(storage, DIR, false);
    Segment segment = files.create(1, 64 << 20, Segment::unmap);
    storage.segment = segment;
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger wrong = new AtomicInteger();
    Thread[] forcers = new Thread[2];
    for (int t = 0; t < forcers.length; t++) {
      forcers[t] = new Thread(() -> {
        while (!stop.get()) {
          try {
            segment.force(storage);
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        }
      });
      forcers[t].start();
    }
    byte[] key = new byte[8];
    byte[] value = new byte[40];
    long seq = 0;
    long until = System.nanoTime() + 1_500_000_000L;
    while (segment.remaining() > 200 && System.nanoTime() < until) {
      segment.append(SegmentFormat.TYPE_PUT, SegmentFormat.FLAG_COMMIT, key, value, ++seq, Position.NONE);
      // Right after an append nothing has forced it yet, whatever a concurrent force did.
      int end = segment.end();
      if (segment.durable() && storage.forcedUpTo.get() < end) {
        wrong.incrementAndGet();
      }
    }
    stop.set(true);
    for (Thread t : forcers) {
      t.join();
    }
    assertEquals(0, wrong.get(), "times the segment claimed durability for an unforced append");
    segment.force(storage);
    assertTrue(segment.durable());
  }

  @Test
  void truncatingBackBelowAForcedEndForgetsThatForce() throws Exception {
    MemoryStorage base = new MemoryStorage();
    base.createDirectories(DIR);
    SegmentFiles files = new SegmentFiles(base, DIR, false);
    Segment segment = files.create(1, 1 << 20, Segment::unmap);
    byte[] key = new byte[8];
    int start = segment.end();
    segment.append(SegmentFormat.TYPE_PUT, (byte) 0, key, new byte[500], 1, Position.NONE);
    segment.force(base);
    assertTrue(segment.durable());
    // A batch that failed half-way is cut back; what is appended next is not on disk.
    segment.truncateTo(start);
    int off = segment.append(SegmentFormat.TYPE_PUT, SegmentFormat.FLAG_COMMIT, key, new byte[10], 1, Position.NONE);
    assertFalse(segment.durable(), "bytes written after the cut were never forced");
    // Recovery trusts this field as proof that everything before it reached the disk.
    assertTrue(segment.durableEnd(off) <= off, "the record claims " + segment.durableEnd(off)
        + " bytes were forced, past its own offset " + off + ", though the bytes there were rewritten since");
  }
}
