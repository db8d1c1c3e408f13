package dev.sett.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The footprint and workload programs run at a small scale, for both kinds, so that they cannot rot. */
class StoreFootprintTest {
  @TempDir
  Path dir;

  @Test
  void measuringAFewStoresOfEachKindGivesEveryFigure() throws Exception {
    for (String kind : new String[] {"sett", "rocksdb"}) {
      Map<String, Long> figures = StoreFootprint.measure(kind, 3, 50, dir.resolve(kind));
      assertEquals(7, figures.size(), kind + ": " + figures);
      assertTrue(figures.get("disk-bytes-apparent") > 3 * 50 * 100, kind + " wrote its keys: " + figures);
      Path storeDir = dir.resolve(kind).resolve("0_2").resolve(kind.equals("sett") ? "sett" : "rocksdb").resolve("counts");
      assertTrue(java.nio.file.Files.isDirectory(storeDir), "the " + kind + " store lives in " + storeDir);
    }
  }

  @Test
  void theWorkloadProgramCountsAndRestoresOnBothKinds() throws Exception {
    for (String kind : new String[] {"sett", "rocksdb"}) {
      Map<String, String> figures = StoreWorkloadBenchmark.run(kind, 2_000, 12_000, dir.resolve("w-" + kind));
      long distinct = StoreWorkloadBenchmark.distinctKeys(2_000, 12_000);
      long counted = Long.parseLong(figures.get("live-keys"));
      if (kind.equals("sett")) {
        assertEquals(distinct, counted, "every key drawn was counted: " + figures);
      } else {
        assertTrue(counted > distinct / 2, "RocksDB's estimate is far off: " + figures); // an estimate
      }
      assertTrue(figures.containsKey("restore-seconds"), kind + ": " + figures);
    }
  }
}
