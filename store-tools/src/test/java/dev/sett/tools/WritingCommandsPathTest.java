package dev.sett.tools;

import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.SegmentStats;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.core.Sett;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands that write: a mistyped path (a store directory whose parent does not exist) is refused
 * with exit code 3 and creates nothing, and a store is written with its own remembered limits and
 * segment size, not the defaults.
 */
class WritingCommandsPathTest {
  @TempDir Path tmp;

  private static byte[] filled(int size, int seed) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) seed);
    return b;
  }

  @Test
  void putOnAPathWhoseParentIsMissingCreatesNothing() {
    Path typo = tmp.resolve("sotres").resolve("shop");
    Cli run = Cli.run("put", typo.toString(), "k", "v");
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
    assertEquals(List.of("sett: " + typo + " does not exist, and neither does its parent directory "
        + typo.getParent() + ", so put creates no store there; check the path, or create "
        + typo.getParent() + " first"), run.errLines());
    assertFalse(Files.exists(tmp.resolve("sotres")), "no directory tree was created");
  }

  @Test
  void loadOnAPathWhoseParentIsMissingCreatesNothing() throws IOException {
    Path dump = Files.writeString(tmp.resolve("d.jsonl"), "{\"format\":\"sett-export\",\"version\":1,"
        + "\"keyFormat\":\"base64\",\"valueFormat\":\"base64\",\"records\":0}\n");
    Path typo = tmp.resolve("a").resolve("b").resolve("c");
    Cli run = Cli.run("load", typo.toString(), dump.toString());
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
    assertTrue(run.err().contains("so load creates no store there"), run.describe());
    assertFalse(Files.exists(tmp.resolve("a")), "no directory tree was created");
  }

  @Test
  void backupToADestinationWhoseParentIsMissingCreatesNothing() {
    Path store = tmp.resolve("store");
    Stores.createText(store, "a", "1");
    Path typo = tmp.resolve("bakups").resolve("today");
    Cli run = Cli.run("backup", store.toString(), typo.toString());
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertTrue(run.err().contains(typo + " does not exist, and neither does its parent directory"),
        run.describe());
    assertFalse(Files.exists(tmp.resolve("bakups")), "no directory tree was created");
  }

  @Test
  void demoOnAPathWhoseParentIsMissingCreatesNothing() {
    Path typo = tmp.resolve("dmeo").resolve("store");
    Cli run = Cli.run("demo", "--records", "10", typo.toString());
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
    assertTrue(run.err().contains("so demo creates no store there"), run.describe());
    assertFalse(Files.exists(tmp.resolve("dmeo")), "no directory tree was created");
  }

  @Test
  void putTakesKeysUpToTheLimitTheStoreWasWrittenWith() {
    Path store = tmp.resolve("store");
    Sett.open(store, StoreOptions.builder().maxKeySize(10_000).build()).close();
    Cli run = Cli.run("put", "--key-format", "hex", store.toString(), "6b".repeat(5000), "v");
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    try (Store s = Sett.open(store, StoreOptions.builder().readOnly(true).build())) {
      assertArrayEquals(utf8("v"), s.get(filled(5000, 'k')));
    }
  }

  @Test
  void putValueFileTakesValuesUpToTheLimitTheStoreWasWrittenWith() throws IOException {
    Path store = tmp.resolve("store");
    Sett.open(store, StoreOptions.builder().segmentSize(32 << 20).maxValueSize(20 << 20).build()).close();
    Path file = tmp.resolve("value.bin");
    Files.write(file, filled(17 << 20, 5));
    Cli run = Cli.run("put", store.toString(), "big", "--value-file", file.toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    try (Store s = Sett.open(store, StoreOptions.builder().readOnly(true).build())) {
      assertArrayEquals(filled(17 << 20, 5), s.get(utf8("big")));
    }
  }

  @Test
  void writingCommandsKeepTheSegmentSizeTheStoreWasWrittenWith() {
    Path store = tmp.resolve("store");
    try (Store s = Sett.open(store, StoreOptions.builder().segmentSize(64 << 10).build())) {
      for (int i = 0; i < 60; i++) {
        s.put(utf8("k" + i), filled(1000, i));
      }
    }
    for (int i = 0; i < 10; i++) { // enough to roll to a new segment
      Cli run = Cli.run("put", store.toString(), "more" + i, "x".repeat(1000));
      assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    }
    try (Store s = Sett.open(store, StoreOptions.builder().readOnly(true).build())) {
      assertTrue(s.stats().segmentCount() > 1, s.stats().toString());
      for (SegmentStats seg : s.stats().segments()) {
        assertEquals(64 << 10, seg.sizeBytes(), "segment " + seg.id());
      }
    }
  }
}
