package dev.sett.tools;

import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.core.Sett;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett backup}, end to end. */
class BackupCommandTest {
  @TempDir Path tmp;

  @Test
  void theCopyOpensWithTheSameDataAndVerifies() {
    Path store = tmp.resolve("store");
    Stores.create(store, utf8("a"), utf8("1"), utf8("b"), utf8("2"));
    Path copy = tmp.resolve("copy");
    Cli run = Cli.run("backup", store.toString(), copy.toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    assertTrue(run.out().contains("the copy verified (2 records)"), run.describe());
    assertTrue(Files.exists(copy.resolve("sett.store")), "the marker is copied");
    try (Store s = Sett.open(copy, StoreOptions.builder().readOnly(true).build())) {
      assertArrayEquals(utf8("2"), s.get(utf8("b")));
      assertEquals(2, s.stats().liveKeys());
    }
  }

  @Test
  void aNonEmptyDestinationIsRefusedAndLeftAlone() throws IOException {
    Path store = tmp.resolve("store");
    Stores.create(store, utf8("a"), utf8("1"));
    Path dest = Files.createDirectories(tmp.resolve("dest"));
    Files.writeString(dest.resolve("mine.txt"), "keep");
    Cli run = Cli.run("backup", store.toString(), dest.toString());
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertEquals("keep", Files.readString(dest.resolve("mine.txt")));
    try (var files = Files.list(dest)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void aStoreOpenForWritingIsNotBackedUp() {
    Path store = tmp.resolve("store");
    Stores.create(store, utf8("a"), utf8("1"));
    try (Store writer = Sett.open(store)) {
      Cli run = Cli.run("backup", store.toString(), tmp.resolve("copy").toString());
      assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
      assertFalse(Files.exists(tmp.resolve("copy")), "nothing was created");
      writer.put(utf8("still"), utf8("writable"));
    }
  }
}
