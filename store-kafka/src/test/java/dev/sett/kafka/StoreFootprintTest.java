package dev.sett.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The footprint program runs at a small scale, for both kinds, so that it cannot rot. */
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
}
