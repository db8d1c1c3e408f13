package dev.sett.tools;

import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.core.Sett;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett repair}, end to end on stores made and damaged in the test. */
class RepairCommandTest {
  @TempDir Path tmp;

  private Path damagedStore() throws IOException {
    Path store = tmp.resolve("s");
    Stores.createText(store, "a", "AAAAAAAA", "b", "BBBBBBBB", "c", "CCCCCCCC");
    DumpSegmentCommandTest.damage(store.resolve("0000000001.seg"), "BBBBBBBB");
    return store;
  }

  private static List<Path> reports(Path store) throws IOException {
    try (Stream<Path> s = Files.list(store)) {
      return s.filter(p -> p.getFileName().toString().startsWith("repair-")).collect(Collectors.toList());
    }
  }

  private static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)) { // not the readers' registry directory
          m.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
      }
    }
    return m;
  }

  @Test
  void aSoundStoreNeedsNothingAndExitsZero() throws IOException {
    Path store = tmp.resolve("s");
    Stores.createText(store, "a", "1");
    Cli run = Cli.run("repair", store.toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    assertTrue(run.out().contains("Nothing needed repairing."), run.describe());
    assertTrue(reports(store).isEmpty());
  }

  @Test
  void aDamagedRecordIsDroppedAndListedOnStdoutAndInTheReportFileAndTheStoreVerifiesAfter() throws IOException {
    Path store = damagedStore();
    assertEquals(SettCli.EXIT_DATA, Cli.run("verify", store.toString()).exitCode());

    Cli run = Cli.run("repair", store.toString());
    assertEquals(SettCli.EXIT_DATA, run.exitCode(), "something was repaired: " + run.describe());
    assertTrue(run.out().contains("dropped 1 record(s) of 0000000001.seg, offsets 112..160: record checksum"
        + " mismatch at offset 112"), run.describe());
    assertTrue(run.out().contains("  key \"b\"\n"), run.describe());
    List<Path> reports = reports(store);
    assertEquals(1, reports.size());
    assertEquals(Files.readString(reports.get(0)) + "report written to " + reports.get(0) + "\n", run.out());

    Cli verify = Cli.run("verify", store.toString());
    assertEquals(SettCli.EXIT_OK, verify.exitCode(), verify.describe());
    Cli info = Cli.run("info", store.toString());
    assertFalse(info.out().contains("repair-"), "the report is no abnormality: " + info.describe());
    assertEquals(List.of("61=4141414141414141", "63=4343434343434343"), Stores.contents(store));
    assertEquals(SettCli.EXIT_OK, Cli.run("repair", store.toString()).exitCode(), "a second repair finds nothing");
  }

  @Test
  void aDryRunSaysWhatItWouldDropAndChangesNothing() throws IOException {
    Path store = damagedStore();
    Map<String, byte[]> before = files(store);
    Cli run = Cli.run("repair", "--dry-run", store.toString());
    assertEquals(SettCli.EXIT_DATA, run.exitCode(), run.describe());
    assertTrue(run.out().contains("would be dropped"), run.describe());
    assertTrue(run.out().contains("key \"b\""), run.describe());
    Map<String, byte[]> after = files(store);
    assertEquals(before.keySet(), after.keySet());
    before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
  }

  @Test
  void jsonListsChangesAndDroppedRangesWithHexKeys() throws IOException {
    Path store = damagedStore();
    Cli run = Cli.run("repair", "--json", store.toString());
    List<String> lines = run.out().lines().collect(Collectors.toList());
    assertTrue(lines.get(0).startsWith("{\"directory\":") && lines.get(0).contains("\"dryRun\":false,\"segments\":1,")
        && lines.get(0).contains("\"droppedRecords\":1,\"reportFile\":\""), run.describe());
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"fromOffset\":112,\"toOffset\":160,\"records\":1,\"keys\":\"62\"")),
        run.describe());
  }

  @Test
  void aStoreThatIsOpenIsRefusedWithExitThreeAndOneLine() {
    Path store = tmp.resolve("s");
    try (Store s = Sett.open(store, Stores.SMALL)) {
      s.put(utf8("a"), utf8("1"));
      Cli run = Cli.run("repair", store.toString());
      assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
      assertEquals(1, run.errLines().size(), run.describe());
      assertTrue(run.err().contains("already open"), run.describe());
    }
  }

  @Test
  void aDirectoryThatIsNotAStoreIsRefusedWithExitThree() throws IOException {
    Files.writeString(tmp.resolve("notes.txt"), "hello");
    Cli run = Cli.run("repair", tmp.toString());
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
    assertEquals(1, run.errLines().size(), run.describe());
    assertFalse(Files.exists(tmp.resolve("sett.store")));
  }
}
