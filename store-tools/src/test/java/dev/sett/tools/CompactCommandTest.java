package dev.sett.tools;

import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.core.Sett;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett compact}, end to end. */
class CompactCommandTest {
  @TempDir Path tmp;

  private Path storeWithGarbage() {
    Path store = tmp.resolve("store");
    try (Store s = Sett.open(store, StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build())) {
      for (int version = 0; version < 4; version++) {
        for (int k = 0; k < 100; k++) {
          s.put(utf8("k" + k), new byte[900]);
        }
      }
      s.put(utf8("last"), utf8("value"));
    }
    return store;
  }

  @Test
  void dryRunListsSegmentsAndChangesNothing() {
    Path store = storeWithGarbage();
    long before = Stores.segmentCount(store);
    Cli run = Cli.run("compact", "--dry-run", store.toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    assertTrue(run.out().contains("would take segment(s) ["), run.describe());
    assertEquals(before, Stores.segmentCount(store));
  }

  @Test
  void compactReclaimsSpaceAndKeepsTheData() {
    Path store = storeWithGarbage();
    long before = Stores.segmentCount(store);
    Cli run = Cli.run("compact", store.toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    assertTrue(run.out().startsWith("Compacted "), run.describe());
    assertTrue(Stores.segmentCount(store) < before, run.describe());
    try (Store s = Sett.open(store, StoreOptions.builder().readOnly(true).build())) {
      assertArrayEquals(utf8("value"), s.get(utf8("last")));
      assertEquals(101, s.stats().liveKeys());
    }
  }
}
