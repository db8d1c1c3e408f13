package dev.sett.tools;

import static dev.sett.tools.Stores.bytes;
import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett get}, end to end on a store made in the test. */
class GetCommandTest {
  @TempDir
  static Path tmp;
  static Path store;

  @BeforeAll
  static void createStore() {
    store = tmp.resolve("store");
    Stores.create(store,
        utf8("greeting"), utf8("hello, world"),
        utf8("poem"), utf8("two\nlines"),
        utf8("unicode"), utf8("naïve \uD83D\uDE00"),
        utf8("binary"), bytes(0x00, 0xFF, 0x10),
        bytes(0x00, 0xFF), utf8("binary key"),
        utf8("empty"), new byte[0]);
  }

  @Test
  void getPrintsATextValueAndALineBreak() {
    Cli run = Cli.run("get", store.toString(), "greeting");
    assertEquals(0, run.exitCode(), run.describe());
    assertEquals("hello, world\n", run.out().replace("\r\n", "\n"));
    assertEquals("", run.err());
  }

  @Test
  void getPrintsMultiLineAndNonAsciiTextAsItIs() {
    assertEquals("two\nlines", Cli.run("get", store.toString(), "poem").out().strip());
    assertEquals("naïve \uD83D\uDE00", Cli.run("get", store.toString(), "unicode").out().strip());
  }

  @Test
  void getPrintsABinaryValueInHexWith0x() {
    assertEquals("0x00ff10", Cli.run("get", store.toString(), "binary").out().strip());
  }

  @Test
  void getPrintsAnEmptyValueAsAnEmptyLine() {
    Cli run = Cli.run("get", store.toString(), "empty");
    assertEquals(0, run.exitCode(), run.describe());
    assertEquals("", run.out().strip());
  }

  @Test
  void getUsesTheValueFormatAskedFor() {
    assertEquals("AP8Q", Cli.run("get", "--value-format", "base64", store.toString(), "binary").out().strip());
    assertEquals("00ff10", Cli.run("get", "--value-format", "hex", store.toString(), "binary").out().strip());
    assertEquals("68656c6c6f2c20776f726c64",
        Cli.run("get", "--value-format", "hex", store.toString(), "greeting").out().strip());
  }

  @Test
  void getReadsTheKeyInTheKeyFormatGiven() {
    assertEquals("binary key", Cli.run("get", "--key-format", "hex", store.toString(), "00ff").out().strip());
    assertEquals("binary key", Cli.run("get", "--key-format", "hex", store.toString(), "0x00FF").out().strip());
    assertEquals("binary key", Cli.run("get", "--key-format", "base64", store.toString(), "AP8=").out().strip());
  }

  @Test
  void getJsonNamesBothFormatsAndEscapesNonAscii() throws Exception {
    Cli run = Cli.run("get", "--json", store.toString(), "unicode");
    assertEquals(0, run.exitCode(), run.describe());
    assertEquals("{\"key\":\"unicode\",\"keyFormat\":\"utf8\",\"value\":\"na\\u00efve \\ud83d\\ude00\","
        + "\"valueFormat\":\"utf8\"}", run.out().strip());
    Map<String, Object> binary = Json.parseObject(Cli.run("get", "--json", store.toString(), "binary").out());
    assertEquals(Map.of("key", "binary", "keyFormat", "utf8", "value", "00ff10", "valueFormat", "hex"), binary);
  }

  @Test
  void getOfAnAbsentKeyExitsOneWithOneLine() {
    Cli run = Cli.run("get", store.toString(), "nope");
    assertEquals(SettCli.EXIT_DATA, run.exitCode(), run.describe());
    assertEquals("", run.out());
    assertEquals(List.of("sett: key 'nope' is not in the store " + store + "; list its keys with 'sett scan "
        + store + " --keys-only'"), run.errLines());
  }

  @Test
  void getWithUtf8AskedForABinaryValueExitsTwo() {
    Cli run = Cli.run("get", "--value-format", "utf8", store.toString(), "binary");
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertEquals(List.of("sett: the value of key 'binary' is not valid UTF-8, so --value-format utf8 cannot"
        + " show it; use hex or base64, or leave --value-format out"), run.errLines());
  }

  @Test
  void getOfAKeyThatIsNotValidHexExitsTwo() {
    Cli run = Cli.run("get", "--key-format", "hex", store.toString(), "0fx");
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertTrue(run.err().startsWith("sett: KEY '0fx' is not valid hex: it has an odd number of digits"),
        run.describe());
  }

  @Test
  void getOfAnEmptyKeyExitsTwo() {
    Cli run = Cli.run("get", store.toString(), "");
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertEquals(List.of("sett: key must not be empty"), run.errLines());
  }

  @Test
  void getOfAKeyThatStartsWithADashNeedsDoubleDash(@TempDir Path dir) {
    Stores.createText(dir, "-flag", "on");
    assertEquals("on", Cli.run("get", dir.toString(), "--", "-flag").out().strip());
  }

  @Test
  void getNeverChangesTheStoreDirectory() throws IOException {
    Map<String, String> before = listing(store);
    Cli.run("get", store.toString(), "greeting");
    Cli.run("get", store.toString(), "nope");
    assertEquals(before, listing(store));
  }

  /**
   * Name, size and modification time of every file in {@code dir}, but the readers' registry
   * directory, where a read-only open announces itself (and withdraws when it closes).
   */
  static Map<String, String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> !p.getFileName().toString().equals("readers"))
          .collect(Collectors.toMap(p -> p.getFileName().toString(),
          p -> p.toFile().length() + " bytes, modified " + p.toFile().lastModified()));
    }
  }
}
