package dev.sett.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import dev.sett.core.Sett;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry bound to a store reads the figures of the store's stats, tagged with the store. */
class SettMetricsTest {
  @TempDir Path tmp;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static double gauge(MeterRegistry registry, String name, String store) {
    return registry.get(name).tag("store", store).gauge().value();
  }

  private static double counter(MeterRegistry registry, String name, String store) {
    return registry.get(name).tag("store", store).functionCounter().count();
  }

  @Test
  void gaugesAndCountersReadTheStoresStats() {
    Path dir = tmp.resolve("store");
    StoreOptions options = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();
    MeterRegistry registry = new SimpleMeterRegistry();
    try (Store s = Sett.open(dir, options)) {
      for (int version = 0; version < 3; version++) {
        for (int k = 0; k < 100; k++) {
          s.put(b("key" + k), new byte[900]);
        }
      }
      s.compact();
      StoreStats stats = s.stats();
      new SettMetrics(s).bindTo(registry);
      String tag = dir.toString();
      assertEquals(100, gauge(registry, "sett.store.keys", tag));
      assertEquals(stats.segmentCount(), gauge(registry, "sett.store.segments", tag));
      assertEquals(stats.diskBytes(), gauge(registry, "sett.store.disk", tag));
      assertEquals(stats.liveBytes(), gauge(registry, "sett.store.live", tag));
      assertEquals(stats.deadBytes(), gauge(registry, "sett.store.dead", tag));
      assertEquals(stats.indexBytes(), gauge(registry, "sett.store.index", tag));
      assertEquals(stats.lastSequence(), gauge(registry, "sett.store.sequence", tag));
      assertEquals(1, counter(registry, "sett.store.compactions", tag));
      assertTrue(stats.bytesReclaimed() > 0, stats.toString());
      assertEquals(stats.bytesReclaimed(), counter(registry, "sett.store.compaction.reclaimed", tag));
      assertEquals(stats.compactionNanos() / 1e9, counter(registry, "sett.store.compaction.time", tag), 1e-9);
      assertEquals(0, registry.get("sett.store.background.failures").tags("store", tag, "task", "sealer")
          .functionCounter().count());
      assertEquals("bytes", registry.get("sett.store.disk").gauge().getId().getBaseUnit());
    }
  }

  @Test
  void aGivenNameAndTagsMarkEveryMeter() {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (Store s = Sett.open(tmp.resolve("store"))) {
      s.put(b("k"), b("v"));
      new SettMetrics(s, "orders", Tags.of("service", "checkout")).bindTo(registry);
      assertEquals(1, registry.get("sett.store.keys").tags("store", "orders", "service", "checkout").gauge().value());
      assertTrue(registry.getMeters().stream().allMatch(m -> "orders".equals(m.getId().getTag("store"))
          && "checkout".equals(m.getId().getTag("service"))), registry.getMeters().toString());
    }
  }

  @Test
  void aClosedStoreReadsNaNInsteadOfFailingTheScrape() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    Path dir = tmp.resolve("store");
    Store s = Sett.open(dir);
    new SettMetrics(s).bindTo(registry);
    s.close();
    assertTrue(Double.isNaN(gauge(registry, "sett.store.keys", dir.toString())),
        "the first read comes after the close, so nothing was cached");
  }
}
