package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.CompactionResult;
import dev.sett.api.StorageException;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JFR events a service records with an ordinary recording: compactions, segment rolls, seals,
 * syncs, slow operations and background failures, each with the figures it names; and none of
 * them is even created while no recording enables it.
 */
class JfrEventsTest {
  private static final int SEGMENT = 64 << 10;

  @TempDir Path tmp;

  /** Runs {@code work} under a recording of JFR's own "default" settings; returns this store's events. */
  private List<RecordedEvent> record(Path storeDir, Runnable work) throws Exception {
    Path file = tmp.resolve("events.jfr");
    try (Recording recording = new Recording(Configuration.getConfiguration("default"))) {
      recording.start();
      work.run();
      recording.stop();
      recording.dump(file);
    }
    try {
      // Other test classes may run stores at the same time: only this one's events count.
      return RecordingFile.readAllEvents(file).stream()
          .filter(e -> e.getEventType().getName().startsWith("dev.sett."))
          .filter(e -> storeDir.toString().equals(e.getString("store")))
          .collect(Collectors.toList());
    } finally {
      Files.delete(file);
    }
  }

  private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
    return events.stream().filter(e -> e.getEventType().getName().equals(name)).collect(Collectors.toList());
  }

  @Test
  void aDefaultRecordingCapturesCompactionRollsSealsSyncsAndSlowOperations() throws Exception {
    Path dir = tmp.resolve("store");
    StoreOptions options = StoreOptions.builder().segmentSize(SEGMENT).autoCompaction(false)
        .slowOperationThreshold(Duration.ZERO).build();
    CompactionResult[] compaction = new CompactionResult[1];
    long[] syncedSequence = new long[1];
    List<RecordedEvent> events = record(dir, () -> {
      try (Store s = Sett.open(dir, options)) {
        for (int version = 0; version < 4; version++) {
          for (int k = 0; k < 150; k++) {
            s.put(b("key" + k), new byte[900]);
          }
        }
        s.get(b("key1"));
        syncedSequence[0] = s.stats().lastSequence();
        s.sync();
        compaction[0] = s.compact();
      }
    });

    List<RecordedEvent> compactions = named(events, "dev.sett.Compaction");
    assertEquals(1, compactions.size(), events.toString());
    RecordedEvent c = compactions.get(0);
    CompactionResult r = compaction[0];
    assertTrue(r.segmentsCompacted() > 0, r.toString());
    assertEquals(r.segmentsCompacted(), c.getInt("segments"));
    assertEquals(r.bytesReclaimed(), c.getLong("bytesReclaimed"));
    assertEquals(r.recordsCopied(), c.getLong("recordsCopied"));
    assertEquals(r.bytesCopied(), c.getLong("bytesCopied"));
    assertEquals(r.recordsDropped(), c.getLong("recordsDropped"));
    assertFalse(c.getBoolean("background"), "Store.compact ran it");
    assertTrue(c.getDuration().toNanos() > 0);

    List<RecordedEvent> rolls = named(events, "dev.sett.SegmentRoll");
    assertTrue(rolls.size() >= 5, "600 records of 900 bytes fill several segments: " + rolls.size());
    for (RecordedEvent roll : rolls) {
      assertTrue(roll.getInt("newSegment") > roll.getInt("oldSegment"), roll.toString());
      assertTrue(roll.getLong("newSize") >= SEGMENT, roll.toString());
    }
    assertTrue(rolls.stream().anyMatch(e -> e.getBoolean("prepared")),
        "after the first roll the next file is prepared in the background");

    Set<Integer> rolledAway = rolls.stream().map(e -> e.getInt("oldSegment")).collect(Collectors.toSet());
    List<RecordedEvent> seals = named(events, "dev.sett.Seal");
    assertFalse(seals.isEmpty(), "every segment left behind by a roll is sealed");
    for (RecordedEvent seal : seals) {
      assertTrue(rolledAway.contains(seal.getInt("segment")), seal + " was never rolled away from");
      assertTrue(seal.getLong("size") >= SEGMENT, seal.toString());
    }

    List<RecordedEvent> syncs = named(events, "dev.sett.Sync");
    RecordedEvent groupCommit = syncs.stream().filter(e -> e.getString("reason").equals("group commit"))
        .findFirst().orElseThrow(() -> new AssertionError("no group commit in " + syncs));
    assertEquals(1, groupCommit.getInt("waiters"), "Store.sync was the only caller waiting");
    assertEquals(syncedSequence[0], groupCommit.getLong("sequence"));
    assertTrue(syncs.stream().anyMatch(e -> e.getString("reason").equals("compaction")),
        "compaction forces its copies: " + syncs);

    List<RecordedEvent> slow = named(events, "dev.sett.SlowOperation");
    assertEquals(600, slow.stream().filter(e -> e.getString("operation").equals("put")).count(),
        "with a zero threshold every put is slow");
    assertEquals(1, slow.stream().filter(e -> e.getString("operation").equals("get")).count());
    assertNotNull(slow.get(0).getStackTrace(), "a slow operation says who called");
  }

  @Test
  void operationsUnderTheThresholdAreNotRecorded() throws Exception {
    Path dir = tmp.resolve("store");
    StoreOptions options = StoreOptions.builder().segmentSize(SEGMENT).slowOperationThreshold(Duration.ofHours(1))
        .build();
    List<RecordedEvent> events = record(dir, () -> {
      try (Store s = Sett.open(dir, options)) {
        for (int k = 0; k < 100; k++) {
          s.put(b("key" + k), b("v"));
          s.get(b("key" + k));
        }
      }
    });
    assertEquals(List.of(), named(events, "dev.sett.SlowOperation"));
  }

  @Test
  void aBackgroundFailureIsRecordedWithTheTaskAndWhatHappensNext() throws Exception {
    MemoryStorage base = new MemoryStorage();
    Path dir = tmp.resolve("memory-store");
    base.createDirectories(dir);
    Storage failingSeals = new DelegatingStorage(base) {
      @Override
      public void force(Path file) throws IOException {
        // A sealed segment's force; not the preparation of the next file, on the same threads.
        if (Thread.currentThread().getName().startsWith("sett-sealer") && file.toString().endsWith(".seg")) {
          throw new IOException("injected seal failure");
        }
        super.force(file);
      }
    };
    StoreOptions options = StoreOptions.builder().segmentSize(SEGMENT).autoCompaction(false).build();
    List<RecordedEvent> events = record(dir, () -> {
      try (Store s = SettStore.open(failingSeals, dir, options)) {
        for (int i = 0; i < 10_000; i++) {
          s.put(b("k" + i), new byte[500]);
        }
      } catch (StorageException expected) {
        // the failed seal makes the store refuse writes (and close reports it too)
      }
    });
    List<RecordedEvent> failures = named(events, "dev.sett.BackgroundFailure");
    assertFalse(failures.isEmpty(), events.toString());
    RecordedEvent f = failures.get(0);
    assertEquals("sealer", f.getString("task"));
    assertTrue(f.getString("failure").contains("injected seal failure"), f.getString("failure"));
    assertTrue(f.getString("next").contains("refuses writes"), f.getString("next"));
  }

  @Test
  void withoutARecordingNoEventIsEnabled() {
    // Every event is created only after this check, so without a recording the write path, the
    // roller, the sealer and compaction allocate nothing and read no clock for JFR.
    assertFalse(SlowOperationEvent.PROBE.isEnabled());
    assertFalse(CompactionEvent.PROBE.isEnabled());
    assertFalse(SegmentRollEvent.PROBE.isEnabled());
    assertFalse(SealEvent.PROBE.isEnabled());
    assertFalse(SyncEvent.PROBE.isEnabled());
    assertFalse(new BackgroundFailureEvent().isEnabled());
  }
}
