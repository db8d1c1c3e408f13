package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reader processes beside a live writer (this JVM): what they see, and what they cost the writer.
 */
class LiveReaderProcessTest {
  private static final StoreOptions WRITER = ChildProcessMain.OPTIONS.toBuilder()
      .compactionTrigger(0.3, 1 << 16).build();

  @TempDir
  Path dir;

  @Test
  void twoReaderProcessesSeeWholeCommittedPrefixesWhileTheWriterWritesAndCompacts() throws Exception {
    readersBesideAWriter(6_000);
  }

  /** The minute, in the reliability suite. */
  @Test
  @Tag("reliability")
  void twoReaderProcessesCheckEveryValueForAMinute() throws Exception {
    readersBesideAWriter(60_000);
  }

  private void readersBesideAWriter(long millis) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong batches = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (SettStore w = (SettStore) Sett.open(dir, WRITER)) {
      Thread writer = new Thread(() -> {
        try {
          for (long n = 0; !stop.get(); n++) {
            LiveReaderCheck.writeBatch(w, n);
            batches.set(n + 1);
            if (n % 64 == 0) {
              Thread.sleep(1); // leaves the two cores to the readers now and then
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "live-writer");
      writer.start();
      // The writer's own snapshots must pass the same check: a failure a reader reports can then be
      // told apart from one the writer has too.
      AtomicLong writerChecks = new AtomicLong();
      Thread selfCheck = new Thread(() -> {
        try {
          while (!stop.get()) {
            try (var s = w.snapshot()) {
              LiveReaderCheck.check(s);
            }
            writerChecks.incrementAndGet();
            Thread.sleep(5);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "writer-self-check");
      selfCheck.start();
      List<ChildProcess> readers = new ArrayList<>();
      List<String> results = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          readers.add(ChildProcess.start(true, "live-read", dir.toString(), Long.toString(millis)));
        }
        for (ChildProcess r : readers) {
          results.add(outcome(r));
          assertTrue(r.process.waitFor(millis + 60_000, TimeUnit.MILLISECONDS), "a reader did not finish");
        }
      } finally {
        stop.set(true);
        writer.join();
        selfCheck.join();
        for (ChildProcess r : readers) {
          r.close();
        }
      }
      assertNull(failure.get(), () -> "the writer failed, or its own snapshot failed the check: " + failure.get());
      assertTrue(writerChecks.get() > 10, "the writer's snapshots were checked: " + writerChecks.get());
      for (int i = 0; i < readers.size(); i++) {
        String line = results.get(i);
        assertNotNull(line, "reader " + i + " said nothing");
        assertTrue(line.startsWith("checked "), "reader " + i + ": " + line + "; the writer's background tasks: "
            + w.stats().backgroundTasks() + ", retired files held: " + w.retiredPending());
        assertEquals(0, readers.get(i).process.exitValue(), "reader " + i + " exited badly");
        String[] parts = line.split(" ");
        assertTrue(Long.parseLong(parts[1]) > 10, "reader " + i + " checked too little: " + line);
        assertTrue(Long.parseLong(parts[3]) > LiveReaderCheck.KEYS, "reader " + i + " saw the writer's progress: " + line);
      }
      assertTrue(w.stats().compactionsRun() > 0, "compaction ran beside the readers");
      // Once the readers are gone, nothing holds the writer's retired files back.
      awaitTrue(() -> w.retiredPending().isEmpty(), "retired files are deleted once the readers went");
      assertEquals(List.of(), readerFiles(), "the readers' files went with them");
      w.compact(true);
      awaitTrue(() -> w.retiredPending().isEmpty(), "and so are those of a last compaction");
      long segmentBytes = segmentBytes();
      assertTrue(segmentBytes < 40L * (64 << 10), "disk use is bounded once readers go: " + segmentBytes + " bytes after "
          + batches.get() + " batches");
      ReliabilityScale.record("live readers", batches.get() + " batches, readers: " + results);
    }
  }

  @Test
  void aReaderKilledWithSigkillHoldsNothingBackOnceTheWriterLooksAgain() throws Exception {
    try (SettStore w = (SettStore) Sett.open(dir, WRITER.toBuilder().autoCompaction(false).build())) {
      for (long n = 0; n < 2_000; n++) {
        LiveReaderCheck.writeBatch(w, n);
      }
      try (ChildProcess reader = ChildProcess.start(true, "hold-ro", dir.toString())) {
        assertNotNull(reader.awaitLine("open"));
        for (long n = 2_000; n < 4_000; n++) {
          LiveReaderCheck.writeBatch(w, n);
        }
        assertTrue(w.compact(true).segmentsCompacted() > 0);
        Set<Integer> held = w.retiredPending();
        assertFalse(held.isEmpty(), "the live reader holds the files it maps");
        Thread.sleep(2 * ReaderRegistry.RECHECK_MILLIS);
        assertEquals(held, w.retiredPending(), "and keeps holding them while it lives");
        reader.kill();
      }
      awaitTrue(() -> w.retiredPending().isEmpty(), "a killed reader holds nothing once the writer looks again");
      assertEquals(List.of(), readerFiles(), "its reader file was cleaned up");
    }
  }

  /** The reader's verdict: its first line saying "checked" or "error". */
  private static String outcome(ChildProcess r) throws IOException {
    String line;
    while ((line = r.out.readLine()) != null) {
      if (line.startsWith("checked") || line.startsWith("error")) {
        return line;
      }
    }
    return null;
  }

  private long segmentBytes() throws IOException {
    long sum = 0;
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.getFileName().toString().endsWith(SegmentFormat.SEGMENT_SUFFIX)) {
          sum += Files.size(p);
        }
      }
    }
    return sum;
  }

  private List<Path> readerFiles() throws IOException {
    List<Path> out = new ArrayList<>();
    try (var files = Files.list(dir.resolve(ReaderRegistry.DIR))) {
      files.filter(p -> p.getFileName().toString().endsWith(ReaderRegistry.READER_SUFFIX)).forEach(out::add);
    }
    return out;
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what);
      Thread.sleep(50);
    }
  }
}
