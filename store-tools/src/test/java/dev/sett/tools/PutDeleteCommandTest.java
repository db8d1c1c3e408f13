package dev.sett.tools;

import static dev.sett.tools.Stores.bytes;
import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett put} and {@code sett delete}, end to end. */
class PutDeleteCommandTest {
  @TempDir
  Path tmp;

  @Test
  void putCreatesAStoreAndGetReadsTheValueBack() {
    Path dir = tmp.resolve("new");
    Cli put = Cli.run("put", dir.toString(), "greeting", "hello");
    assertEquals(0, put.exitCode(), put.describe());
    assertEquals("Set key 'greeting' to 5 bytes in " + dir + "\n", put.out().replace("\r\n", "\n"));
    assertEquals("", put.err());
    assertEquals(List.of(hex("greeting") + "=" + hex("hello")), Stores.contents(dir));
  }

  @Test
  void putOverwritesAnExistingValue() {
    Stores.createText(tmp, "k", "old");
    assertEquals(0, Cli.run("put", tmp.toString(), "k", "new").exitCode());
    assertEquals(List.of(hex("k") + "=" + hex("new")), Stores.contents(tmp));
  }

  @Test
  void putDecodesKeyAndValueInTheFormatsGiven() {
    Cli run = Cli.run("put", "--key-format", "hex", "--value-format", "base64", tmp.toString(), "00ff", "AP8A");
    assertEquals(0, run.exitCode(), run.describe());
    assertEquals("Set key 0x00ff to 3 bytes in " + tmp, run.out().strip());
    assertEquals(List.of("00ff=00ff00"), Stores.contents(tmp));
  }

  @Test
  void putStoresAnEmptyValue() {
    assertEquals(0, Cli.run("put", tmp.toString(), "k", "").exitCode());
    assertEquals(List.of(hex("k") + "="), Stores.contents(tmp));
  }

  @Test
  void putValueFileStoresItsBytesExactly() throws IOException {
    byte[] content = bytes(0x00, 0xFF, '\n', '\r', 0x80);
    Path file = tmp.resolve("value.bin");
    Files.write(file, content);
    Path dir = tmp.resolve("store");
    Cli run = Cli.run("put", dir.toString(), "blob", "--value-file", file.toString());
    assertEquals(0, run.exitCode(), run.describe());
    assertEquals(List.of(hex("blob") + "=00ff0a0d80"), Stores.contents(dir));
  }

  @Test
  void putSyncSaysSo() {
    Cli run = Cli.run("put", "--sync", tmp.toString(), "k", "v");
    assertEquals(0, run.exitCode(), run.describe());
    assertTrue(run.out().strip().endsWith("(synced)"), run.describe());
  }

  @Test
  void putNeedsExactlyOneOfValueAndValueFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("v"), "x");
    Cli neither = Cli.run("put", tmp.toString(), "k");
    assertEquals(SettCli.EXIT_USAGE, neither.exitCode(), neither.describe());
    assertTrue(neither.err().startsWith("Missing VALUE"), neither.describe());
    Cli both = Cli.run("put", tmp.toString(), "k", "v", "--value-file", file.toString());
    assertEquals(SettCli.EXIT_USAGE, both.exitCode(), both.describe());
    Cli format = Cli.run("put", tmp.toString(), "k", "--value-file", file.toString(), "--value-format", "hex");
    assertEquals(SettCli.EXIT_USAGE, format.exitCode(), format.describe());
    assertFalse(Files.exists(tmp.resolve("sett.store")), "no store is created by a usage error");
  }

  @Test
  void putOfAMissingValueFileExitsTwo() {
    Cli run = Cli.run("put", tmp.toString(), "k", "--value-file", tmp.resolve("absent").toString());
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertEquals(List.of("sett: cannot read --value-file " + tmp.resolve("absent") + ": it does not exist"),
        run.errLines());
  }

  @Test
  void putOfAKeyOverTheFormatsLimitExitsTwoWithTheEnginesMessage() {
    // The tool writes any key a store can hold (an application's own maxKeySize is its business),
    // so only the format's limit refuses a key here.
    Cli ok = Cli.run("put", tmp.toString(), "k".repeat(StoreOptions.DEFAULT_MAX_KEY_SIZE + 1), "v");
    assertEquals(0, ok.exitCode(), ok.describe());
    Cli run = Cli.run("put", tmp.toString(), "k".repeat(StoreOptions.MAX_KEY_SIZE_LIMIT + 1), "v");
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertEquals(1, run.errLines().size(), run.describe());
    assertTrue(run.err().contains("over the format's limit of " + StoreOptions.MAX_KEY_SIZE_LIMIT), run.describe());
  }

  @Test
  void putOfAValueThatIsNotValidHexExitsTwo() {
    Cli run = Cli.run("put", "--value-format", "hex", tmp.toString(), "k", "xyz1");
    assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
    assertEquals(List.of("sett: VALUE 'xyz1' is not valid hex: character 1 is 'x', not a hex digit (0-9, a-f);"
        + " correct it, or choose another --value-format"), run.errLines());
  }

  @Test
  void deleteRemovesAKey() {
    Stores.createText(tmp, "a", "1", "b", "2");
    Cli run = Cli.run("delete", tmp.toString(), "a");
    assertEquals(0, run.exitCode(), run.describe());
    assertEquals("Deleted key 'a' from " + tmp, run.out().strip());
    assertEquals(List.of(hex("b") + "=" + hex("2")), Stores.contents(tmp));
  }

  @Test
  void deleteOfAnAbsentKeySaysSoAndExitsZero() {
    Stores.createText(tmp, "a", "1");
    Cli run = Cli.run("delete", "--sync", tmp.toString(), "zzz");
    assertEquals(0, run.exitCode(), run.describe());
    assertEquals("Key 'zzz' was not in " + tmp + "; nothing to delete", run.out().strip());
  }

  @Test
  void deleteWithAHexKey() {
    Stores.create(tmp, bytes(0x00), bytes(0x01));
    assertEquals(0, Cli.run("delete", "--key-format", "hex", tmp.toString(), "00").exitCode());
    assertEquals(List.of(), Stores.contents(tmp));
  }

  @Test
  void deleteInADirectoryThatDoesNotExistExitsThreeAndCreatesNothing() {
    Path dir = tmp.resolve("absent");
    Cli run = Cli.run("delete", dir.toString(), "k");
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
    assertEquals(List.of("sett: " + dir + " does not exist, so there is no store to change; check the path"),
        run.errLines());
    assertFalse(Files.exists(dir));
  }

  private static String hex(String s) {
    return Encoding.hex(utf8(s), Integer.MAX_VALUE);
  }

  @Test
  void putOnAMistypedPathCreatesNoDirectoryTree() {
    java.nio.file.Path typo = tmp.resolve("no-such-parent").resolve("nested").resolve("store");
    Cli put = Cli.run("put", typo.toString(), "k", "v");
    assertEquals(SettCli.EXIT_STORE, put.exitCode(), put.describe());
    assertTrue(put.err().contains("does not exist"), put.describe());
    assertFalse(java.nio.file.Files.exists(tmp.resolve("no-such-parent")), "a directory tree was created");
    Cli load = Cli.run("load", typo.toString(), tmp.resolve("nothing.jsonl").toString());
    assertFalse(java.nio.file.Files.exists(tmp.resolve("no-such-parent")), "load created a directory tree");
    assertTrue(load.exitCode() != 0, load.describe());
  }
}
