package dev.sett.tools;

import static dev.sett.tools.Stores.bytes;
import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett export} and {@code sett load}, end to end, and the round trip between them. */
class ExportLoadTest {
  private static final String HEADER_2 =
      "{\"format\":\"sett-export\",\"version\":2,\"keyFormat\":\"base64\",\"valueFormat\":\"base64\",\"records\":2}";

  @TempDir
  Path tmp;

  /** Binary keys and values with 0x00 and 0xFF bytes, an empty value, text, and non-BMP text. */
  private Path binaryStore() {
    Path dir = tmp.resolve("source");
    Stores.create(dir,
        bytes(0x00), bytes(0xFF),
        bytes(0xFF, 0xFF, 0xFF), bytes(0x00, 0x00, 0x00),
        bytes(0x00, 0xFF, 0x00, 0xFF), new byte[0],
        bytes(0x7F, 0x80), bytes(0xC0, 0x80, 0xED, 0xA0, 0x80),
        utf8("text"), utf8("quote \" backslash \\ newline \n tab \t"),
        utf8("smile \uD83D\uDE00"), utf8("\uD834\uDD1E clef"));
    return dir;
  }

  @Test
  void exportThenLoadIntoAnEmptyDirectoryGivesAnIdenticalStore() throws IOException {
    Path source = binaryStore();
    Path dump = tmp.resolve("dump.jsonl");
    Cli export = Cli.run("export", "--no-progress", source.toString(), dump.toString());
    assertEquals(0, export.exitCode(), export.describe());
    assertEquals("", export.err());

    Path copy = tmp.resolve("copy");
    Cli load = Cli.run("load", "--no-progress", copy.toString(), dump.toString());
    assertEquals(0, load.exitCode(), load.describe());
    assertEquals("", load.err());
    assertTrue(load.out().startsWith("Loaded 6 records from " + dump + " into " + copy + " in 1 batch ("),
        load.describe());
    assertTrue(load.out().strip().endsWith("the store holds 6 keys"), load.describe());

    assertEquals(6, Stores.contents(source).size());
    assertEquals(Stores.contents(source), Stores.contents(copy));
    // And the copy exports to the same bytes.
    Path again = tmp.resolve("again.jsonl");
    assertEquals(0, Cli.run("export", copy.toString(), again.toString()).exitCode());
    assertEquals(Files.readString(dump), Files.readString(again));
  }

  @Test
  void exportWritesAHeaderThenOneRecordPerLineInKeyOrder() throws IOException {
    Path source = binaryStore();
    Path dump = tmp.resolve("dump.jsonl");
    Cli run = Cli.run("export", source.toString(), dump.toString());
    assertTrue(run.out().startsWith("Exported 6 records from " + source + " to " + dump + " ("), run.describe());
    assertTrue(run.out().contains("; keys base64, values base64) in "), run.describe());
    List<String> lines = Files.readAllLines(dump);
    assertEquals(List.of(
        "{\"format\":\"sett-export\",\"version\":2,\"keyFormat\":\"base64\",\"valueFormat\":\"base64\",\"records\":6}",
        "{\"key\":\"AA==\",\"value\":\"/w==\"}",
        "{\"key\":\"AP8A/w==\",\"value\":\"\"}",
        "{\"key\":\"c21pbGUg8J+YgA==\",\"value\":\"8J2EniBjbGVm\"}",
        "{\"key\":\"dGV4dA==\",\"value\":\"cXVvdGUgIiBiYWNrc2xhc2ggXCBuZXdsaW5lIAogdGFiIAk=\"}",
        "{\"key\":\"f4A=\",\"value\":\"wIDtoIA=\"}",
        "{\"key\":\"////\",\"value\":\"AAAA\"}"), lines);
  }

  @Test
  void exportAndLoadRoundTripInHexAndUtf8Too() throws IOException {
    Path text = tmp.resolve("text");
    Stores.createText(text, "a", "plain", "b", "quote \" and \\", "c", "lines\n\r\t", "d", "\uD83D\uDE00 é",
        "e", "");
    for (String[] formats : new String[][] {{"hex", "hex"}, {"utf8", "utf8"}, {"utf8", "base64"}}) {
      Path dump = tmp.resolve(formats[0] + "-" + formats[1] + ".jsonl");
      Cli export = Cli.run("export", "--key-format", formats[0], "--value-format", formats[1], text.toString(),
          dump.toString());
      assertEquals(0, export.exitCode(), export.describe());
      Path copy = tmp.resolve("copy-" + formats[0] + "-" + formats[1]);
      Cli load = Cli.run("load", copy.toString(), dump.toString());
      assertEquals(0, load.exitCode(), load.describe());
      assertEquals(Stores.contents(text), Stores.contents(copy), String.join("/", formats));
    }
    // utf8 dumps hold the text itself, in UTF-8.
    String utf8Dump = Files.readString(tmp.resolve("utf8-utf8.jsonl"), StandardCharsets.UTF_8);
    assertTrue(utf8Dump.contains("{\"key\":\"d\",\"value\":\"\uD83D\uDE00 é\"}\n"), utf8Dump);
    assertTrue(utf8Dump.contains("{\"key\":\"c\",\"value\":\"lines\\n\\r\\t\"}\n"), utf8Dump);
  }

  @Test
  void exportRefusesUtf8ForBytesThatAreNotUtf8AndNamesTheKeyInHex() {
    Path source = binaryStore();
    Path dump = tmp.resolve("dump.jsonl");
    Cli keys = Cli.run("export", "--key-format", "utf8", source.toString(), dump.toString());
    assertEquals(SettCli.EXIT_USAGE, keys.exitCode(), keys.describe());
    assertEquals(List.of("sett: key 0x00ff00ff is not valid UTF-8, so --key-format utf8 cannot hold it; export with hex"
        + " or base64 (no FILE was written)"), keys.errLines());
    Cli values = Cli.run("export", "--key-format", "hex", "--value-format", "utf8", source.toString(),
        dump.toString());
    assertEquals(SettCli.EXIT_USAGE, values.exitCode(), values.describe());
    assertTrue(values.err().startsWith("sett: the value of key 0x00 is not valid UTF-8"), values.describe());
    assertFalse(Files.exists(dump));
    assertEquals(List.of("source"), fileNames(tmp), "no temporary file is left behind");
  }

  @Test
  void exportRefusesToReplaceAFileWithoutForce() throws IOException {
    Path source = binaryStore();
    Path dump = Files.writeString(tmp.resolve("dump.jsonl"), "keep me");
    Cli run = Cli.run("export", source.toString(), dump.toString());
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertEquals(List.of("sett: FILE " + dump + " already exists; name another file, or add --force to"
        + " replace it"), run.errLines());
    assertEquals("keep me", Files.readString(dump));
    assertEquals(0, Cli.run("export", "--force", source.toString(), dump.toString()).exitCode());
    assertTrue(Files.readString(dump).startsWith("{\"format\":\"sett-export\""));
  }

  @Test
  void exportJsonReportsWhatItWrote() throws Exception {
    Path source = binaryStore();
    Path dump = tmp.resolve("dump.jsonl");
    Map<String, Object> m = Json.parseObject(Cli.run("export", "--json", source.toString(), dump.toString()).out());
    assertEquals(source.toString(), m.get("directory"));
    assertEquals(dump.toString(), m.get("file"));
    assertEquals(6L, m.get("records"));
    assertEquals(Files.size(dump), m.get("bytes"));
    assertEquals("base64", m.get("keyFormat"));
  }

  @Test
  void exportOfAnEmptyStoreWritesOnlyTheHeaderAndLoadsBack() throws IOException {
    Path empty = tmp.resolve("empty");
    Stores.create(empty);
    Path dump = tmp.resolve("dump.jsonl");
    assertEquals(0, Cli.run("export", empty.toString(), dump.toString()).exitCode());
    assertEquals(List.of(
        "{\"format\":\"sett-export\",\"version\":2,\"keyFormat\":\"base64\",\"valueFormat\":\"base64\",\"records\":0}"),
        Files.readAllLines(dump));
    Cli load = Cli.run("load", tmp.resolve("copy").toString(), dump.toString());
    assertEquals(0, load.exitCode(), load.describe());
    assertTrue(load.out().contains("Loaded 0 records"), load.describe());
  }

  @Test
  void loadWritesInBatchesOfTheSizeAsked() throws Exception {
    Path source = tmp.resolve("many");
    SplittableRandom random = new SplittableRandom(11);
    byte[][] kv = new byte[2 * 1_000][];
    for (int i = 0; i < kv.length; i++) {
      kv[i] = new byte[i % 2 == 0 ? 1 + random.nextInt(16) : random.nextInt(64)];
      random.nextBytes(kv[i]);
    }
    Stores.create(source, kv);
    Path dump = tmp.resolve("many.jsonl");
    assertEquals(0, Cli.run("export", source.toString(), dump.toString()).exitCode());
    Path copy = tmp.resolve("copy");
    Cli load = Cli.run("load", "--json", "--batch-size", "64", copy.toString(), dump.toString());
    assertEquals(0, load.exitCode(), load.describe());
    Map<String, Object> m = Json.parseObject(load.out());
    long records = (Long) m.get("records");
    assertEquals((records + 63) / 64, m.get("batches"));
    assertEquals(records, m.get("liveKeys"));
    assertEquals(Stores.contents(source), Stores.contents(copy));
  }

  @Test
  void loadRefusesAStoreThatHoldsKeysUnlessIntoExisting() throws IOException {
    Path dump = Files.writeString(tmp.resolve("d.jsonl"), HEADER_2 + "\n"
        + "{\"key\":\"YQ==\",\"value\":\"MQ==\"}\n{\"key\":\"Yg==\",\"value\":\"Mg==\"}\n");
    Path dir = tmp.resolve("store");
    Stores.createText(dir, "a", "old", "z", "kept");
    Cli refused = Cli.run("load", dir.toString(), dump.toString());
    assertEquals(SettCli.EXIT_USAGE, refused.exitCode(), refused.describe());
    assertEquals(List.of("sett: " + dir + " already holds 2 keys; load into a new or empty directory, or add"
        + " --into-existing to add the dump's records to them (overwriting equal keys)"), refused.errLines());

    Cli into = Cli.run("load", "--into-existing", dir.toString(), dump.toString());
    assertEquals(0, into.exitCode(), into.describe());
    assertTrue(into.out().strip().endsWith("the store holds 3 keys"), into.describe());
    assertEquals(List.of("61=31", "62=32", "7a=6b657074"), Stores.contents(dir));
  }

  @Test
  void loadOfAKeyTwiceKeepsTheLaterLine() throws IOException {
    Path dump = Files.writeString(tmp.resolve("d.jsonl"), HEADER_2 + "\n"
        + "{\"key\":\"YQ==\",\"value\":\"MQ==\"}\n{\"value\":\"Mg==\",\"key\":\"YQ==\"}\n");
    Cli load = Cli.run("load", tmp.resolve("s").toString(), dump.toString());
    assertEquals(0, load.exitCode(), load.describe());
    assertEquals(List.of("61=32"), Stores.contents(tmp.resolve("s")));
  }

  /**
   * A malformed dump exits with 1, names the file and the first bad line, and writes nothing: the
   * store directory is not even created.
   */
  @Test
  void loadOfAMalformedDumpExitsOneWithTheLineNumberAndWritesNothing() throws IOException {
    String good = "{\"key\":\"YQ==\",\"value\":\"MQ==\"}";
    String[][] cases = {
        // dump text, expected message after "FILE line "
        {HEADER_2 + "\n" + good + "\n{\"key\":\"YQ==\"}\n",
            "3: a record must have the member \"value\"; it has \"key\""},
        {HEADER_2 + "\n" + good + "\n{\"key\":\"YQ==\",\"value\":\"MQ==\"\n",
            "3: a record must be one JSON object on one line; at column 29: expected ',' or '}' after a member,"
                + " found the end of the line"},
        {HEADER_2 + "\n{\"key\":\"%%%\",\"value\":\"\"}\n" + good + "\n",
            "2: the key is not valid base64 (the header's keyFormat): Illegal base64 character 25"},
        {HEADER_2 + "\n" + good + "\n",
            "3: the file ends after 1 of the 2 records its header announces; it was probably cut short"},
        {HEADER_2 + "\n" + good + "\n" + good + "\n" + good + "\n",
            "4: the header announces 2 records, but more lines follow"},
        {HEADER_2 + "\n\n" + good + "\n", "2: a record must be one JSON object on one line; at column 1:"
            + " expected a JSON object '{...}', found an empty line"},
        {good + "\n", "1: this is not a Sett dump: the first line must be a header with"
            + " \"format\":\"sett-export\" (as 'sett export' writes it), but it has no \"format\" member"},
        {HEADER_2.replace("\"version\":2", "\"version\":3") + "\n",
            "1: the dump has format version 3, but this sett reads only versions 1 and 2; load it with the sett"
                + " that exported it"},
        {HEADER_2 + "\n" + good + "\n{\"key\":\"\",\"value\":\"\"}\n",
            "3: the key is empty; Sett keys have at least one byte"},
    };
    for (int i = 0; i < cases.length; i++) {
      Path dump = Files.writeString(tmp.resolve("bad" + i + ".jsonl"), cases[i][0]);
      Path dir = tmp.resolve("store" + i);
      Cli run = Cli.run("load", "--no-progress", dir.toString(), dump.toString());
      assertEquals(SettCli.EXIT_DATA, run.exitCode(), run.describe());
      assertEquals(List.of("sett: " + dump + " line " + cases[i][1] + "; nothing was loaded"), run.errLines(),
          "case " + i);
      assertFalse(Files.exists(dir), "case " + i + ": nothing is written, not even the directory");
    }
  }

  @Test
  void loadOfAValueOverTheLimitNamesItsLine() throws IOException {
    // 16 MiB + 1 bytes of value, as hex.
    int size = (16 << 20) + 1;
    String header = HEADER_2.replace("base64", "hex").replace("\"records\":2", "\"records\":1");
    Path dump = tmp.resolve("big.jsonl");
    Files.writeString(dump, header + "\n{\"key\":\"61\",\"value\":\"" + "00".repeat(size) + "\"}\n");
    Cli run = Cli.run("load", tmp.resolve("s").toString(), dump.toString());
    assertEquals(SettCli.EXIT_DATA, run.exitCode(), run.describe());
    assertEquals(List.of("sett: " + dump + " line 2: the value has 16,777,217 bytes, over the limit of"
        + " 16,777,216 bytes for a value; nothing was loaded"), run.errLines());
  }

  @Test
  void loadOfAMissingFileExitsTwo() {
    Path dump = tmp.resolve("absent.jsonl");
    Cli run = Cli.run("load", tmp.resolve("s").toString(), dump.toString());
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertEquals(List.of("sett: cannot read " + dump + ": it does not exist; nothing was loaded"), run.errLines());
  }

  private static List<String> fileNames(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void loadTakesEveryKeyExportWrote() throws IOException {
    Path source = tmp.resolve("long-keys");
    byte[] key5000 = new byte[5_000];
    java.util.Arrays.fill(key5000, (byte) 'k');
    byte[] key65535 = new byte[65_535];
    java.util.Arrays.fill(key65535, (byte) 0xFE);
    try (dev.sett.api.Store s = dev.sett.core.Sett.open(source,
        dev.sett.api.StoreOptions.builder().maxKeySize(65_535).build())) {
      s.put(key5000, utf8("five thousand"));
      s.put(key65535, utf8("the longest"));
    }
    Path dump = tmp.resolve("long.jsonl");
    assertEquals(0, Cli.run("export", "--no-progress", source.toString(), dump.toString()).exitCode());
    Path copy = tmp.resolve("copy");
    Cli load = Cli.run("load", "--no-progress", copy.toString(), dump.toString());
    assertEquals(0, load.exitCode(), load.describe());
    assertEquals(Stores.contents(source), Stores.contents(copy));
  }

  @Test
  void anEndlessLineIsRefusedWithItsLineNumberNotAnOutOfMemoryError() throws IOException {
    Path dump = tmp.resolve("endless.jsonl");
    // A header, then a "line" of 200 MB without a line end: more than any record within the limits.
    try (java.io.OutputStream out = Files.newOutputStream(dump)) {
      out.write((HEADER_2 + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      byte[] chunk = new byte[1 << 20];
      java.util.Arrays.fill(chunk, (byte) 'A');
      for (int i = 0; i < 200; i++) {
        out.write(chunk);
      }
    }
    Path copy = tmp.resolve("copy");
    Cli load = Cli.run("load", "--no-progress", copy.toString(), dump.toString());
    assertEquals(SettCli.EXIT_DATA, load.exitCode(), load.describe());
    assertTrue(load.err().contains("line 2: the line is longer than"), load.describe());
    assertTrue(load.err().contains("nothing was loaded"), load.describe());
  }
}
