package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.InvalidInputException;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.VerifyReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  private static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10)
      .compactionTrigger(0.3, 1 << 16).build();

  @TempDir
  Path tmp;

  private Path dir() {
    return tmp.resolve("store");
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Checkpoints every few ms under heavy writes and background compaction: each opens with exactly
   * the batches up to its sequence (LiveReaderCheck's history makes that checkable key by key), and
   * each verifies.
   */
  @Test
  void checkpointsTakenUnderWritesAndCompactionHoldExactlyTheWritesUpToTheirSequence() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong acked = new AtomicLong(-1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Path> targets = new ArrayList<>();
    List<long[]> bounds = new ArrayList<>(); // acked before, sequence, acked after
    try (Store w = Sett.open(dir(), OPTIONS)) {
      Thread writer = new Thread(() -> {
        try {
          for (long n = 0; !stop.get(); n++) {
            LiveReaderCheck.writeBatch(w, n);
            acked.set(n);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "checkpoint-writer");
      writer.start();
      try {
        for (int i = 0; i < 25 && failure.get() == null; i++) {
          Thread.sleep(5 + i % 7);
          Path target = tmp.resolve("cp-" + i);
          long before = acked.get();
          long sequence = w.checkpoint(target);
          long after = acked.get();
          targets.add(target);
          bounds.add(new long[] {before, sequence, after});
        }
      } finally {
        stop.set(true);
        writer.join();
      }
      assertNull(failure.get());
      assertTrue(w.stats().compactionsRun() > 0, "compaction ran beside the checkpoints");
    }
    for (int i = 0; i < targets.size(); i++) {
      Path target = targets.get(i);
      VerifyReport report = Sett.verify(target);
      assertTrue(report.ok(), target + ": " + report.problems());
      long[] b = bounds.get(i);
      try (Store copy = Sett.open(target, OPTIONS.toBuilder().autoCompaction(false).build());
          Snapshot s = copy.snapshot()) {
        assertEquals(b[1], copy.stats().lastSequence(), target + " holds writes up to the sequence it returned");
        long last = LiveReaderCheck.check(s); // whole batches, nothing lost, nothing from later
        assertTrue(last >= b[0] && last <= b[2] + 1, target + ": last batch " + last + " outside [" + b[0] + ", "
            + (b[2] + 1) + "]");
      }
    }
  }

  @Test
  void sealedSegmentsAreHardLinkedAndTheCopyIsAStoreOfItsOwn() throws Exception {
    Path target = tmp.resolve("copy");
    StoreOptions noCompaction = OPTIONS.toBuilder().autoCompaction(false).build();
    try (Store w = Sett.open(dir(), noCompaction)) {
      for (long n = 0; n < 2_000; n++) {
        LiveReaderCheck.writeBatch(w, n);
      }
    }
    try (Store w = Sett.open(dir(), noCompaction)) { // every rolled segment is sealed and hinted now
      w.checkpoint(target);
      int linked = 0;
      try (var files = Files.list(target)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          if (f.getFileName().toString().endsWith(SegmentFormat.SEGMENT_SUFFIX)
              && ((Integer) Files.getAttribute(f, "unix:nlink")) > 1) {
            linked++;
          }
        }
      }
      assertTrue(linked > 0, "sealed segments share their files with the store");
      w.put(b("after"), b("the checkpoint"));
    }
    try (Store copy = Sett.open(target, OPTIONS)) {
      assertNull(copy.get(b("after")));
      copy.put(b("mine"), b("only"));
      copy.compact(true);
    }
    try (Store original = Sett.open(dir(), OPTIONS); Snapshot s = original.snapshot()) {
      assertArrayEquals(b("the checkpoint"), original.get(b("after")));
      assertNull(original.get(b("mine")), "writing to the copy changed nothing in the store");
      assertEquals(1999, LiveReaderCheck.check(s));
    }
  }

  @Test
  void aReadOnlyHandleCheckpointsWhatItSeesBesideTheWriter() throws Exception {
    Path target = tmp.resolve("copy");
    try (Store w = Sett.open(dir(), OPTIONS)) {
      for (long n = 0; n < 500; n++) {
        LiveReaderCheck.writeBatch(w, n);
      }
      try (Store r = Sett.open(dir(), OPTIONS.toBuilder().readOnly(true).build())) {
        for (long n = 500; n < 600; n++) {
          LiveReaderCheck.writeBatch(w, n);
        }
        r.checkpoint(target);
      }
    }
    try (Store copy = Sett.open(target, OPTIONS); Snapshot s = copy.snapshot()) {
      assertEquals(499, LiveReaderCheck.check(s), "as of the reader's open, not the writer's latest");
    }
  }

  @Test
  void aTargetThatIsNotEmptyOrInsideTheStoreIsRefusedAndNothingIsWritten() throws Exception {
    try (Store w = Sett.open(dir(), OPTIONS)) {
      w.put(b("k"), b("v"));
      Path full = Files.createDirectories(tmp.resolve("full"));
      Files.writeString(full.resolve("mine.txt"), "mine");
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> w.checkpoint(full));
      assertTrue(e.getMessage().contains("not an empty directory"), e.getMessage());
      assertEquals(List.of(full.resolve("mine.txt")), Files.list(full).toList());
      e = assertThrows(InvalidInputException.class, () -> w.checkpoint(dir().resolve("inner")));
      assertTrue(e.getMessage().contains("inside the store"), e.getMessage());
      e = assertThrows(InvalidInputException.class, () -> w.checkpoint(tmp.resolve("no/such/parent")));
      assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
      assertThrows(InvalidInputException.class, () -> w.checkpoint(null));
      w.put(b("k2"), b("v2"));
    }
  }
}
