package dev.sett.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.core.Sett;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that opens a store, on a store it cannot open: exit code 3 and one line on stderr
 * that says what is wrong and what to do, never a stack trace (unless --verbose).
 */
class StoreErrorsTest {
  @TempDir
  Path tmp;

  /** The arguments of each command that opens a store, with DIR as "{}". */
  private List<String[]> commands() throws IOException {
    Path dump = tmp.resolve("dump.jsonl");
    Files.writeString(dump, "{\"format\":\"sett-export\",\"version\":1,\"keyFormat\":\"base64\","
        + "\"valueFormat\":\"base64\",\"records\":0}\n");
    return List.of(
        new String[] {"info", "{}"},
        new String[] {"get", "{}", "k"},
        new String[] {"scan", "{}"},
        new String[] {"export", "{}", tmp.resolve("out.jsonl").toString()},
        new String[] {"put", "{}", "k", "v"},
        new String[] {"delete", "{}", "k"},
        new String[] {"load", "{}", dump.toString()});
  }

  private static String[] with(String[] command, Path dir) {
    String[] args = command.clone();
    for (int i = 0; i < args.length; i++) {
      args[i] = args[i].replace("{}", dir.toString());
    }
    return args;
  }

  @Test
  void everyWritingCommandOnAStoreOpenForWritingElsewhereExitsThreeWithOneLine() throws IOException {
    Path dir = tmp.resolve("locked");
    Stores.createText(dir, "k", "v");
    try (Store writer = Sett.open(dir, Stores.SMALL)) {
      for (String[] command : commands()) {
        if (!List.of("put", "delete", "load").contains(command[0])) {
          continue; // reading commands work beside a writer: LiveStoreCommandsTest
        }
        Cli run = Cli.run(with(command, dir));
        String what = String.join(" ", command);
        assertEquals(SettCli.EXIT_STORE, run.exitCode(), what + "\n" + run.describe());
        assertEquals("", run.out(), what);
        assertEquals(1, run.errLines().size(), what + "\n" + run.describe());
        assertTrue(run.err().startsWith("sett: " + dir + " is already open by this process"), run.describe());
        assertTrue(run.err().contains("stop the program that has it open or wait for it to finish, then try"
            + " again"), run.describe());
        assertFalse(run.err().contains("StoreOptions"), "no API advice on the command line: " + run.err());
      }
      assertEquals("v", new String(writer.get("k".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
    }
    assertFalse(Files.exists(tmp.resolve("out.jsonl")));
  }

  @Test
  void everyCommandOnADirectoryThatIsNotAStoreExitsThreeAndChangesNothing() throws IOException {
    Path dir = tmp.resolve("photos");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("cat.jpg"), "not a store");
    for (String[] command : commands()) {
      Cli run = Cli.run(with(command, dir));
      String what = String.join(" ", command);
      assertEquals(SettCli.EXIT_STORE, run.exitCode(), what + "\n" + run.describe());
      assertEquals(List.of("sett: " + dir + " is not a Sett store: it holds 1 file(s) (for example 'cat.jpg')"
          + " but no sett.store file. Point Sett at an empty or new directory"), run.errLines(), what);
      assertEquals(List.of(dir.resolve("cat.jpg")), list(dir), what + " left the directory as it was");
    }
  }

  @Test
  void readOnlyCommandsOnAMissingDirectoryExitThreeAndCreateNothing() {
    Path dir = tmp.resolve("absent");
    for (String[] command : new String[][] {{"get", "{}", "k"}, {"scan", "{}"}, {"info", "{}"}}) {
      Cli run = Cli.run(with(command, dir));
      assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
      assertEquals(List.of("sett: " + dir + " does not exist, so there is no store to open read-only"),
          run.errLines());
    }
    assertFalse(Files.exists(dir));
  }

  @Test
  void everyReadingCommandOnADamagedStoreExitsThreeNamingTheFileAndOffset() throws IOException {
    Path dir = tmp.resolve("damaged");
    // Two sessions: the first record is synced (by close) before the second is written, so damage
    // to it is not a torn tail that recovery may cut, but corruption.
    Stores.createText(dir, "first", "AAAAAAAAAAAAAAAA");
    try (Store store = Sett.open(dir, Stores.SMALL)) {
      store.put("second".getBytes(StandardCharsets.UTF_8), "BBBBBBBBBBBBBBBB".getBytes(StandardCharsets.UTF_8));
    }
    Path segment = damageFirst(dir, "AAAAAAAAAAAAAAAA");
    // As a crash leaves it: without the hint written at close, open scans the segment and finds the
    // damage (with the hint it would be found when the value is read).
    try (Stream<Path> s = Files.list(dir)) {
      for (Path hint : s.filter(p -> p.getFileName().toString().endsWith(".hint")).toList()) {
        Files.delete(hint);
      }
    }
    for (String[] command : commands()) {
      if (command[0].equals("load")) {
        continue; // it would refuse the (non-empty) store before reading any record
      }
      Cli run = Cli.run(with(command, dir));
      String what = String.join(" ", command);
      assertEquals(SettCli.EXIT_STORE, run.exitCode(), what + "\n" + run.describe());
      assertEquals(1, run.errLines().size(), what + "\n" + run.describe());
      assertTrue(run.err().startsWith("sett: record checksum mismatch"), run.describe());
      assertTrue(run.err().contains(" in " + segment + " at offset "), run.describe());
      assertTrue(run.err().strip().endsWith("; the store is damaged: keep a copy of its directory before"
          + " changing anything"), run.describe());
      assertFalse(run.err().contains("salvage"), "no API advice on the command line: " + run.err());
    }
    assertFalse(Files.exists(tmp.resolve("out.jsonl")));
  }

  @Test
  void aDamagedValueInACleanlyClosedStoreIsReportedWhenReadWithExitOne() throws IOException {
    Path dir = tmp.resolve("damaged-hinted");
    Stores.createText(dir, "first", "AAAAAAAAAAAAAAAA");
    Path segment = damageFirst(dir, "AAAAAAAAAAAAAAAA");
    Cli run = Cli.run(new String[] {"get", dir.toString(), "first"});
    assertEquals(SettCli.EXIT_DATA, run.exitCode(), run.describe());
    assertTrue(run.err().startsWith("sett: record checksum mismatch in " + segment + " at offset "), run.describe());
  }

  /** Changes one byte of the first occurrence of {@code text} in the store's segment file. */
  private static Path damageFirst(Path dir, String text) throws IOException {
    List<Path> segments = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(".seg")).forEach(segments::add);
    }
    assertEquals(1, segments.size(), "one segment file: " + segments);
    Path segment = segments.get(0);
    byte[] data = Files.readAllBytes(segment);
    int at = new String(data, StandardCharsets.ISO_8859_1).indexOf(text);
    assertTrue(at > 0, "the value is in the segment file");
    data[at + 3] ^= 0x20;
    Files.write(segment, data);
    return segment;
  }

  @Test
  void aFileGivenAsTheStoreDirectoryExitsThree() throws IOException {
    Path file = Files.writeString(tmp.resolve("file.txt"), "x");
    Cli run = Cli.run("put", file.toString(), "k", "v");
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
    assertEquals(List.of("sett: " + file + " is a file, not a directory; give Sett a directory"), run.errLines());
  }

  @Test
  void verboseAddsTheStackTraceOfTheEnginesException() throws IOException {
    Path dir = tmp.resolve("locked");
    Stores.createText(dir, "k", "v");
    try (Store writer = Sett.open(dir, Stores.SMALL)) {
      Cli run = Cli.run("put", "--verbose", dir.toString(), "k", "other");
      assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
      assertTrue(run.err().contains("StoreLockedException"), run.describe());
      assertTrue(run.err().contains("\tat "), run.describe());
      assertTrue(writer.contains("k".getBytes(StandardCharsets.UTF_8)), "the writer is not disturbed");
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(all::add);
    }
    return all;
  }
}
