package dev.sett.tools;

import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett segments}, end to end. */
class SegmentsCommandTest {
  @TempDir Path tmp;

  @Test
  void listsEachSegmentWithItsFigures() {
    Path store = tmp.resolve("s");
    Stores.create(store, utf8("a"), utf8("1"), utf8("b"), utf8("2"));
    Cli run = Cli.run("segments", store.toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    List<String> lines = run.out().lines().collect(Collectors.toList());
    assertTrue(lines.get(0).endsWith(": 1 segment(s)"), run.describe());
    assertTrue(lines.get(1).contains("ID") && lines.get(1).contains("HINT"), run.describe());
    assertTrue(lines.get(3).matches("\\s+1\\s+.*\\s2\\s+0\\s+100\\.0\\s+0\\s+active\\s+yes"), run.describe());
  }

  @Test
  void jsonPrintsOneObjectPerSegment() {
    Path store = tmp.resolve("j");
    Stores.create(store, utf8("a"), utf8("1"));
    Cli run = Cli.run("segments", "--json", store.toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    List<String> lines = run.out().lines().collect(Collectors.toList());
    assertEquals(1, lines.size(), run.describe());
    assertTrue(lines.get(0).startsWith("{\"id\":1,") && lines.get(0).contains("\"records\":1")
        && lines.get(0).endsWith("\"active\":true,\"hint\":true}"), run.describe());
  }

  @Test
  void aDirectoryThatIsNotAStoreExitsThree() {
    Cli run = Cli.run("segments", tmp.toString());
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
  }
}
