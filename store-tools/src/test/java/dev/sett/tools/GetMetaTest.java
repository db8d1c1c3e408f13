package dev.sett.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett get --meta}: where a key's value is stored. */
class GetMetaTest {
  @TempDir Path tmp;

  @Test
  void metaPrintsSegmentOffsetSequenceCrcAndSizes() {
    Path store = tmp.resolve("s");
    Stores.createText(store, "a", "1", "b", "22", "a", "333");
    Cli run = Cli.run("get", "--meta", store.toString(), "a");
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    assertTrue(run.out().contains("segment   1 (" + store.toAbsolutePath().resolve("0000000001.seg") + ")"), run.describe());
    assertTrue(run.out().contains("offset    144\n"), "the newest version, the third record: " + run.describe());
    assertTrue(run.out().contains("sequence  3\n"), run.describe());
    assertTrue(run.out().matches("(?s).*crc       [0-9a-f]{8} \\(ok\\).*"), run.describe());
    assertTrue(run.out().contains("value     3 bytes (record 40 bytes)"), run.describe());
  }

  @Test
  void metaJsonAddsTheLocationToTheValue() {
    Path store = tmp.resolve("s");
    Stores.createText(store, "k", "v");
    Cli run = Cli.run("get", "--meta", "--json", store.toString(), "k");
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    assertTrue(run.out().startsWith("{\"key\":\"k\",\"keyFormat\":\"utf8\",\"value\":\"v\",\"valueFormat\":\"utf8\","
        + "\"segment\":1,\"file\":\""), run.describe());
    assertTrue(run.out().contains("\"offset\":64,\"sequence\":1,\"crc\":\""), run.describe());
    assertTrue(run.out().endsWith("\"crcOk\":true,\"valueSize\":1,\"recordSize\":40,\"expiresAt\":null}\n"),
        run.describe());
  }

  @Test
  void metaOfADamagedRecordSaysBadAndExitsOne() throws IOException {
    Path store = tmp.resolve("s");
    Stores.createText(store, "k", "VVVVVVVV");
    DumpSegmentCommandTest.damage(store.resolve("0000000001.seg"), "VVVVVVVV");
    Cli run = Cli.run("get", "--meta", store.toString(), "k");
    assertEquals(SettCli.EXIT_DATA, run.exitCode(), run.describe());
    assertTrue(run.out().contains("(BAD: does not match the record)"), run.describe());
    assertEquals(1, run.errLines().size(), run.describe());
  }

  @Test
  void metaOfAMissingKeyExitsOne() {
    Path store = tmp.resolve("s");
    Stores.createText(store, "k", "v");
    Cli run = Cli.run("get", "--meta", store.toString(), "nope");
    assertEquals(SettCli.EXIT_DATA, run.exitCode(), run.describe());
    assertTrue(run.err().contains("is not in the store"), run.describe());
  }
}
