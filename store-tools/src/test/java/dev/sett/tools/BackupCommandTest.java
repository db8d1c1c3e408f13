package dev.sett.tools;

import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.core.Sett;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
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
  void aStoreOpenForWritingIsBackedUpAsOfWhatItsWriterHadCommitted() throws Exception {
    Path store = tmp.resolve("store");
    Stores.create(store, utf8("a"), utf8("1"));
    Path copy = tmp.resolve("copy");
    try (Store writer = Sett.open(store, Stores.SMALL)) {
      for (int i = 0; i < 3000; i++) {
        writer.put(utf8("k" + i), new byte[100]);
      }
      AtomicBoolean stop = new AtomicBoolean();
      Thread more = new Thread(() -> {
        for (int i = 0; !stop.get(); i++) {
          writer.put(utf8("later" + (i % 500)), new byte[100]);
        }
      });
      more.start();
      Cli run;
      try {
        run = Cli.run("backup", store.toString(), copy.toString());
      } finally {
        stop.set(true);
        more.join();
      }
      assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
      assertTrue(run.out().contains("the copy verified"), run.describe());
      assertTrue(run.out().contains("as of sequence "), run.describe());
      writer.put(utf8("still"), utf8("writable"));
    }
    try (Store s = Sett.open(copy, Stores.SMALL)) {
      assertArrayEquals(utf8("1"), s.get(utf8("a")));
      for (int i = 0; i < 3000; i += 299) {
        assertEquals(100, s.get(utf8("k" + i)).length);
      }
      assertNull(s.get(utf8("still")));
    }
  }

  @Test
  void aDestinationInsideTheStoreIsRefused() {
    Path store = tmp.resolve("store");
    Stores.create(store, utf8("a"), utf8("1"));
    Cli run = Cli.run("backup", store.toString(), store.resolve("inner").toString());
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertFalse(Files.exists(store.resolve("inner")));
  }
}
