package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.StorageException;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's limit on a process's mappings is an error Sett reports before the JVM aborts, and
 * the mappings that only the garbage collector releases are counted in {@code stats()}.
 */
class MappingLimitTest {
  @TempDir Path dir;

  private static final StoreOptions SMALL = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();

  private static int processMappings() throws Exception {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
      return (int) lines.count();
    }
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void nearTheKernelsMappingLimitANewSegmentIsAStorageExceptionNotAnAbort() throws Exception {
    // Pretend vm.max_map_count leaves room for about 30 more mappings (the reserve is 1,000).
    MappingCensus.limitForTests(processMappings() + 1_000 + 30);
    try (Store s = Sett.open(dir, SMALL)) {
      StorageException refused = null;
      int written = 0;
      for (int i = 0; i < 100_000 && refused == null; i++) {
        try {
          s.put(b("k" + i), new byte[2_000]);
          written = i;
        } catch (StorageException e) {
          refused = e;
        }
      }
      assertNotNull(refused, "no refusal before the (lowered) limit");
      assertTrue(refused.getMessage().contains("vm.max_map_count"), refused.getMessage());
      assertTrue(refused.getMessage().contains("segmentSize"), "says what to do: " + refused.getMessage());
      assertArrayEquals(new byte[2_000], s.get(b("k" + written)), "the store stays readable");
      assertArrayEquals(new byte[2_000], s.get(b("k0")));
    } finally {
      MappingCensus.limitForTests(Integer.MAX_VALUE);
    }
    try (Store s = Sett.open(dir, SMALL)) {
      assertArrayEquals(new byte[2_000], s.get(b("k0")), "nothing acknowledged was lost");
    }
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void openingAStoreWithMoreSegmentsThanTheLimitAllowsIsRefusedClearly() throws Exception {
    try (Store s = Sett.open(dir, SMALL)) {
      for (int i = 0; i < 1_000; i++) {
        s.put(b("k" + i), new byte[2_000]);
      }
    }
    MappingCensus.limitForTests(processMappings() + 1_000 + 5);
    try {
      StorageException e = assertThrows(StorageException.class, () -> Sett.open(dir, SMALL));
      assertTrue(e.getMessage().contains("vm.max_map_count"), e.getMessage());
    } finally {
      MappingCensus.limitForTests(Integer.MAX_VALUE);
    }
    StoreTestSupport.assertNothingMapped(dir);
  }

  @Test
  void viewMappingsHeldAfterCompactionAreCountedUntilTheCollectorReleasesThem() throws Exception {
    try (Store s = Sett.open(dir, SMALL)) {
      for (int i = 0; i < 200; i++) {
        s.put(b("k" + i), new byte[1_000]);
      }
      List<ByteBuffer> views = new ArrayList<>();
      try (Snapshot snap = s.snapshot()) {
        for (int i = 0; i < 200; i += 10) {
          views.add(snap.get(b("k" + i)).asByteBuffer());
        }
        for (int i = 0; i < 200; i++) {
          s.put(b("k" + i), new byte[10]);
        }
        s.compact(true);
      }
      long held = s.stats().retainedBytes();
      assertTrue(held >= 64 << 10, "views still reference compacted segments' mappings, but stats say " + held);
      assertEquals(20, views.size());
      views.clear();
      for (int i = 0; i < 100 && s.stats().retainedBytes() > 0; i++) {
        System.gc();
        Thread.sleep(20);
      }
      assertEquals(0, s.stats().retainedBytes(), "released once no view references them");
    }
  }

  @Test
  void snapshotViewsReadWithoutAMappingOfTheirOwn() throws Exception {
    try (Store s = Sett.open(dir, SMALL)) {
      for (int i = 0; i < 200; i++) {
        s.put(b("k" + i), new byte[1_000]);
      }
      // Earlier tests' view mappings are released by the collector: let that happen first.
      System.gc();
      Thread.sleep(100);
      int before = MappingCensus.settMappings();
      try (Snapshot snap = s.snapshot()) {
        long sum = 0;
        for (int i = 0; i < 200; i++) {
          ByteView v = snap.get(b("k" + i));
          sum += v.getLong(0) + v.getByte(999) + v.toByteArray().length;
          assertTrue(v.contentEquals(new byte[1_000]));
        }
        try (Cursor c = snap.scan(KeyRange.all())) {
          while (c.next()) {
            sum += c.value().getLong(8);
          }
        }
        assertEquals(200 * 1_000, sum);
        assertEquals(before, MappingCensus.settMappings(), "views made mappings of their own");
        snap.get(b("k0")).asByteBuffer();
        assertEquals(before + 1, MappingCensus.settMappings(), "a buffer needs the segment's JDK mapping");
      }
      for (int i = 0; i < 200; i++) {
        s.put(b("k" + i), new byte[10]);
      }
      s.compact(true);
      assertTrue(s.stats().retainedBytes() <= 64 << 10,
          "only the one segment a buffer was made of may stay mapped: " + s.stats().retainedBytes());
    }
  }

  @Test
  void overTheBudgetTheStoreAsksTheCollectorToReleaseViewMappings() throws Exception {
    SettStore.viewBudgetForTests = 1;
    DeferredUnmaps.resetGcRequestsForTests();
    try (Store s = Sett.open(dir, SMALL)) {
      for (int i = 0; i < 200; i++) {
        s.put(b("k" + i), new byte[1_000]);
      }
      try (Snapshot snap = s.snapshot()) {
        for (int i = 0; i < 200; i += 10) {
          // A buffer: the segment's read-only JDK mapping is made.
          assertEquals(1_000, snap.get(b("k" + i)).asByteBuffer().remaining());
        }
      } // the views are garbage from here on, but nothing collects them yet
      for (int i = 0; i < 200; i++) {
        s.put(b("k" + i), new byte[10]);
      }
      s.compact(true);
      // No System.gc() here: the store asks for it, because the held bytes are over its budget.
      for (int i = 0; i < 500 && s.stats().retainedBytes() > 0; i++) {
        Thread.sleep(20);
      }
      assertEquals(0, s.stats().retainedBytes(), "the view mappings of compacted segments were never released");
    } finally {
      SettStore.viewBudgetForTests = 0;
    }
  }
}
