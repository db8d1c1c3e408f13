package dev.sett.tools;

import static dev.sett.tools.Stores.bytes;
import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett scan}, end to end on a store made in the test. */
class ScanCommandTest {
  @TempDir
  static Path tmp;
  static String store;

  @BeforeAll
  static void createStore() {
    Path dir = tmp.resolve("store");
    Stores.create(dir,
        utf8("user:1"), utf8("Ada"),
        utf8("user:2"), utf8("Grace"),
        utf8("user:3"), utf8("Barbara"),
        utf8("note"), utf8("line1\nline2\ttab"),
        utf8("long"), utf8("x".repeat(100)),
        bytes(0x00, 0xFF), bytes(0xFF, 0x00),
        utf8("empty"), new byte[0]);
    store = dir.toString();
  }

  @Test
  void scanPrintsATableOfEveryEntryInKeyOrderAndCountsThem() {
    Cli run = Cli.run("scan", store);
    assertEquals(0, run.exitCode(), run.describe());
    assertEquals("", run.err());
    assertEquals(List.of(
        "KEY     SIZE  VALUE",
        "------  ----  ------------------------------------------------------------",
        "0x00ff     2  0xff00",
        "empty      0",
        "long     100  " + "x".repeat(57) + "...",
        "note      15  line1\\nline2\\ttab",
        "user:1     3  Ada",
        "user:2     5  Grace",
        "user:3     7  Barbara",
        "(7 entries)",
        "(values longer than 60 characters are cut: see them in full with 'sett get', --json or"
            + " --value-width 0)"), lines(run));
  }

  @Test
  void scanWithValueWidthZeroNeverCuts() {
    Cli run = Cli.run("scan", "--value-width", "0", "--prefix", "long", store);
    assertTrue(run.out().contains("long   100  " + "x".repeat(100) + "\n"), run.describe());
    assertEquals("(1 entry)", lines(run).get(lines(run).size() - 1));
  }

  @Test
  void scanWithAPrefixListsOnlyThoseKeys() {
    assertEquals(List.of("user:1", "user:2", "user:3"), keys(Cli.run("scan", "--prefix", "user:", store)));
  }

  @Test
  void scanFromIsInclusiveAndToIsExclusive() {
    assertEquals(List.of("user:1", "user:2"), keys(Cli.run("scan", "--from", "user:1", "--to", "user:3", store)));
    assertEquals(List.of("user:2", "user:3"), keys(Cli.run("scan", "--from", "user:2", store)));
    assertEquals(List.of("0x00ff", "empty"), keys(Cli.run("scan", "--to", "long", store)));
  }

  @Test
  void scanReverseListsDescending() {
    assertEquals(List.of("user:3", "user:2", "user:1"),
        keys(Cli.run("scan", "--prefix", "user:", "--reverse", store)));
  }

  @Test
  void scanLimitStopsAndSaysThatMoreFollow() {
    Cli run = Cli.run("scan", "--prefix", "user:", "--limit", "2", store);
    assertEquals(List.of("user:1", "user:2"), keys(run));
    assertEquals("(the first 2 entries; more follow: raise --limit to see them)", lines(run).get(4));
    Cli exact = Cli.run("scan", "--prefix", "user:", "--limit", "3", store);
    assertEquals("(3 entries)", lines(exact).get(5), exact.describe());
  }

  @Test
  void scanKeysOnlyPrintsOneColumn() {
    Cli run = Cli.run("scan", "--keys-only", "--prefix", "user:", store);
    assertEquals(List.of("KEY", "------", "user:1", "user:2", "user:3", "(3 keys)"), lines(run));
  }

  @Test
  void scanOfAnEmptyRangeSaysSo() {
    Cli run = Cli.run("scan", "--prefix", "zzz", store);
    assertEquals(0, run.exitCode(), run.describe());
    assertEquals(List.of("(no entries in this range)"), lines(run));
  }

  @Test
  void scanUsesTheFormatsAskedFor() {
    Cli run = Cli.run("scan", "--key-format", "hex", "--value-format", "base64", "--prefix", "757365723a31", store);
    assertEquals("757365723a31     3  QWRh", lines(run).get(2));
    Cli binary = Cli.run("scan", "--key-format", "hex", "--to", "0x0100", store);
    assertEquals("00ff     2  0xff00", lines(binary).get(2), "an explicit format has no 0x prefix");
  }

  @Test
  void scanJsonPrintsJsonLinesAndNothingElse() throws Exception {
    Cli run = Cli.run("scan", "--json", store);
    assertEquals(0, run.exitCode(), run.describe());
    List<Map<String, Object>> objects = new ArrayList<>();
    for (String line : lines(run)) {
      objects.add(Json.parseObject(line));
    }
    assertEquals(7, objects.size());
    assertEquals(Map.of("key", "00ff", "keyFormat", "hex", "value", "ff00", "valueFormat", "hex"), objects.get(0));
    assertEquals(Map.of("key", "note", "keyFormat", "utf8", "value", "line1\nline2\ttab", "valueFormat", "utf8"),
        objects.get(3));
    assertEquals("x".repeat(100), objects.get(2).get("value"), "--json never cuts");
  }

  @Test
  void scanJsonKeysOnlyHasNoValueMembers() throws Exception {
    Cli run = Cli.run("scan", "--json", "--keys-only", "--prefix", "user:", "--limit", "1", store);
    assertEquals(List.of("{\"key\":\"user:1\",\"keyFormat\":\"utf8\"}"), lines(run));
  }

  @Test
  void scanWithUtf8AskedForABinaryValueExitsTwo() {
    Cli run = Cli.run("scan", "--value-format", "utf8", store);
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertTrue(run.err().startsWith("sett: the value of key 0x00ff is not valid UTF-8"), run.describe());
  }

  @Test
  void scanRefusesPrefixWithFromOrTo() {
    Cli run = Cli.run("scan", "--prefix", "a", "--from", "b", store);
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertTrue(run.err().startsWith("--prefix cannot be combined with --from or --to"), run.describe());
  }

  @Test
  void scanRefusesFromAfterTo() {
    Cli run = Cli.run("scan", "--from", "b", "--to", "a", store);
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertEquals(List.of("sett: --from 'b' comes after --to 'a' in key order, so the range is empty; swap"
        + " them (and add --reverse to list it downwards)"), run.errLines());
  }

  @Test
  void scanRefusesALimitBelowOne() {
    assertEquals(SettCli.EXIT_USAGE, Cli.run("scan", "--limit", "0", store).exitCode());
  }

  @Test
  void scanStreamsMoreRowsThanTheTableBuffersKeepingTheColumnWidths(@TempDir Path dir) {
    int n = ScanCommand.TABLE_BUFFER + 500;
    String wide = "a wider value than the first rows had";
    byte[][] kv = new byte[2 * n][];
    for (int i = 0; i < n; i++) {
      kv[2 * i] = utf8(String.format(Locale.ROOT, "k%05d", i));
      kv[2 * i + 1] = utf8(i < ScanCommand.TABLE_BUFFER ? "v" : wide);
    }
    Stores.create(dir, kv);
    Cli run = Cli.run("scan", dir.toString());
    List<String> lines = lines(run);
    assertEquals(n + 3, lines.size());
    assertEquals("KEY     SIZE  VALUE", lines.get(0), "widths of the first rows");
    assertEquals("k00000     1  v", lines.get(2));
    assertEquals("k01499    " + wide.length() + "  " + wide, lines.get(2 + 1499));
    assertEquals("(1,500 entries)", lines.get(lines.size() - 1));
  }

  static List<String> lines(Cli run) {
    return run.out().isEmpty() ? List.of() : List.of(run.out().split("\\R"));
  }

  /** The KEY column of a scan table. */
  static List<String> keys(Cli run) {
    assertEquals(0, run.exitCode(), run.describe());
    List<String> keys = new ArrayList<>();
    for (String line : lines(run)) {
      if (!line.startsWith("KEY") && !line.startsWith("---") && !line.startsWith("(")) {
        keys.add(line.split(" +")[0]);
      }
    }
    return keys;
  }
}
