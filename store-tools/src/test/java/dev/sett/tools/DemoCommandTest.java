package dev.sett.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett demo}, run once on 20,000 records, and {@code sett info} on the store it leaves. */
class DemoCommandTest {
  private static final int RECORDS = 20_000;
  /** The demo also writes N/500 records with 64 KiB values, at least 20. */
  private static final int LARGE_RECORDS = 40;

  @TempDir
  static Path tmp;
  static Path store;
  static Cli demo;

  @BeforeAll
  static void runDemo() {
    store = tmp.resolve("demo-store");
    demo = Cli.run("demo", "--records", String.valueOf(RECORDS), "--no-progress", store.toString());
  }

  @Test
  void demoOfTwentyThousandRecordsExitsZeroAndPrintsNothingOnStderr() {
    assertEquals(0, demo.exitCode(), demo.describe());
    assertEquals("", demo.err(), demo.describe());
  }

  @Test
  void demoPrintsOneTableRowPerValueSizeAndReadPath() {
    for (String size : new String[] {"100 B", "64 KiB"}) {
      for (String path : new String[] {"store.get", "snapshot.get", "store.readLong"}) {
        // "  64 KiB  store.get  copy into a new byte[]  9,424  65,552"
        Pattern row = Pattern.compile("(?m)^\\s+" + Pattern.quote(size) + "\\s+" + Pattern.quote(path)
            + "\\s+.*\\s[0-9][0-9,.]*\\s+[0-9][0-9,.]*$");
        assertTrue(row.matcher(demo.out()).find(),
            "no row for " + size + " " + path + "\n" + demo.describe());
      }
    }
  }

  @Test
  void demoReadLongAllocatesAtMostOneSmallObjectWhateverTheValueSize() {
    // The callback's view is one 32-byte object per read, removed by escape analysis once the JIT
    // inlines the read: whether it is on a given run is the JIT's choice, so the bound is one object,
    // where a copying get allocates the whole value.
    Pattern row = Pattern.compile("(?m)^\\s+(100 B|64 KiB)\\s+store\\.readLong\\s+.*\\s([0-9.,]+)$");
    java.util.regex.Matcher m = row.matcher(demo.out());
    int rows = 0;
    while (m.find()) {
      rows++;
      double bytes = Double.parseDouble(m.group(2).replace(",", ""));
      assertTrue(bytes <= 48, m.group(1) + " readLong allocated " + bytes + " B/read: " + demo.describe());
    }
    assertEquals(2, rows, demo.describe());
  }

  @Test
  void demoCompactsAwayTheOverwrittenHalfAndEndsWithInfo() {
    assertTrue(demo.out().matches("(?s).*Overwrote 10,000 of the 100 B records in [0-9.]+ s: the old versions"
        + " are now [0-9.]+ [KM]iB of dead data.*"), demo.describe());
    assertTrue(demo.out().matches("(?s).*Compaction took [0-9.]+ s: [1-9][0-9]* segment\\(s\\) rewritten.*"),
        demo.describe());
    String info = demo.out().substring(demo.out().indexOf("What 'sett info"));
    assertTrue(info.matches("(?s).*\\n\\s+live keys\\s+20,040\\n.*"), demo.describe());
    assertTrue(info.matches("(?s).*\\n\\s+dead data\\s+0 .*"), "compaction left no dead data: " + demo.describe());
    assertTrue(info.contains("abnormalities  none"), "the demo's own marker file is not an abnormality: "
        + demo.describe());
  }

  @Test
  void demoMarksTheStoreAsADemoStore() {
    assertTrue(Files.exists(store.resolve(DemoDirectory.STORE_MARKER)));
    assertTrue(Files.exists(store.resolve(DemoDirectory.DEMO_MARKER)));
  }

  @Test
  void infoOnTheDemoStorePrintsItsKeyCount() {
    Cli info = Cli.run("info", store.toString());
    assertEquals(0, info.exitCode(), info.describe());
    assertTrue(info.out().matches("(?s).*\\n\\s+live keys\\s+20,040\\n.*"), info.describe());
  }

  @Test
  void infoJsonOnTheDemoStorePrintsTheStatsFieldsByName() {
    Cli info = Cli.run("info", "--json", store.toString());
    assertEquals(0, info.exitCode(), info.describe());
    String json = info.out().trim();
    assertTrue(json.startsWith("{") && json.endsWith("}"), info.describe());
    assertTrue(json.contains("\"liveKeys\": " + (RECORDS + LARGE_RECORDS) + ","), info.describe());
    // Every record written once, then half the small ones again (the demo's compaction step).
    assertTrue(json.contains("\"lastSequence\": " + (RECORDS + LARGE_RECORDS + RECORDS / 2) + ","), info.describe());
    for (String field : new String[] {"directory", "segmentCount", "diskBytes", "dataBytes", "liveBytes",
        "deadBytes", "indexBytes", "openSnapshots"}) {
      assertTrue(json.contains("\"" + field + "\": "), field + "\n" + info.describe());
    }
  }

  @Test
  void demoRunAgainReplacesTheStoreItCreated(@TempDir Path dir) {
    Path again = dir.resolve("again");
    Cli first = Cli.run("demo", "--records", "1000", "--no-progress", again.toString());
    assertEquals(0, first.exitCode(), first.describe());
    Cli second = Cli.run("demo", "--records", "1000", "--no-progress", again.toString());
    assertEquals(0, second.exitCode(), second.describe());
    assertTrue(second.out().startsWith("Recreating a demo store in "), second.describe());
    // Replaced, not added to: 1,000 small records and 20 large ones, then 500 overwrites, not twice that.
    assertTrue(second.out().matches("(?s).*\\n\\s+live keys\\s+1,020\\n.*"), second.describe());
    assertTrue(second.out().matches("(?s).*\\n\\s+last sequence\\s+1,520\\n.*"), second.describe());
  }

  @Test
  void demoRefusesANonEmptyDirectoryThatIsNotAStoreAndLeavesItAlone(@TempDir Path dir)
      throws IOException {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "keep me");
    Cli run = Cli.run("demo", "--records", "1000", "--no-progress", dir.toString());
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
    assertEquals(1, run.errLines().size(), run.describe());
    assertTrue(run.err().contains("is not empty and is not a demo store"), run.describe());
    assertEquals("keep me", Files.readString(notes));
    try (var entries = Files.list(dir)) {
      assertEquals(1, entries.count());
    }
  }

  @Test
  void demoRefusesASettStoreItDidNotCreate(@TempDir Path dir) throws IOException {
    Path real = dir.resolve("real");
    try (var s = dev.sett.core.Sett.open(real)) {
      s.put(new byte[] {1}, new byte[] {2});
    }
    Cli run = Cli.run("demo", "--records", "1000", "--no-progress", real.toString());
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
    assertTrue(run.err().contains("did not create"), run.describe());
    try (var s = dev.sett.core.Sett.open(real)) {
      assertEquals(2, s.get(new byte[] {1})[0]);
    }
  }

  @Test
  void demoRejectsARecordCountBelowOneAsAUsageError(@TempDir Path dir) {
    Cli run = Cli.run("demo", "--records", "0", dir.resolve("x").toString());
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertFalse(Files.exists(dir.resolve("x")));
  }
}
