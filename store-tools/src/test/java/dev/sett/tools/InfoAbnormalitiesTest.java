package dev.sett.tools;

import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett info}'s abnormalities line. */
class InfoAbnormalitiesTest {
  @TempDir Path tmp;

  @Test
  void aCleanStoreHasNone() {
    Path store = tmp.resolve("s");
    Stores.create(store, utf8("a"), utf8("1"));
    Cli run = Cli.run("info", store.toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    assertTrue(run.out().contains("abnormalities  none"), run.describe());
  }

  @Test
  void infoShowsWhatTheStoreWasWrittenWith() {
    Path store = tmp.resolve("s");
    Stores.create(store, utf8("a"), utf8("1"));
    Cli run = Cli.run("info", store.toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    assertTrue(run.out().contains("  written with   segments of 64.0 KiB, keys up to 4,096 bytes, values up to"
        + " 61,312 bytes\n"), run.describe());
  }

  @Test
  void foreignFilesLeftoversAndOrphanHintsAreListed() throws IOException {
    Path store = tmp.resolve("s");
    Stores.create(store, utf8("a"), utf8("1"));
    Files.writeString(store.resolve("notes.txt"), "x");
    Files.write(store.resolve("0000000009.hint"), new byte[10]);
    Files.write(store.resolve("0000000002.seg.tmp"), new byte[10]);
    Cli run = Cli.run("info", store.toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    assertTrue(run.out().contains("abnormalities  3"), run.describe());
    assertTrue(run.out().contains("file notes.txt (not written by Sett)"), run.describe());
    assertTrue(run.out().contains("hint file 0000000009.hint without its segment"), run.describe());
    assertTrue(run.out().contains("temporary file 0000000002.seg.tmp"), run.describe());
  }
}
