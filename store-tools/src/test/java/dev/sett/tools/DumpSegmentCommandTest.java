package dev.sett.tools;

import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.core.Sett;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett dump-segment}, end to end on segment files of stores made in the test. */
class DumpSegmentCommandTest {
  @TempDir Path tmp;

  /** Flips one byte of the first occurrence of {@code marker} in {@code file}. */
  static void damage(Path file, String marker) throws IOException {
    byte[] data = Files.readAllBytes(file);
    int at = new String(data, StandardCharsets.ISO_8859_1).indexOf(marker);
    assertTrue(at > 0, marker + " not found in " + file);
    data[at] ^= 1;
    Files.write(file, data);
  }

  @Test
  void aSoundSegmentListsItsHeaderAndEveryRecordAndExitsZero() {
    Path store = tmp.resolve("s");
    Stores.createText(store, "apple", "red", "banana", "yellow");
    Cli run = Cli.run("dump-segment", store.resolve("0000000001.seg").toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    List<String> lines = run.out().lines().collect(Collectors.toList());
    assertTrue(lines.get(0).trim().startsWith("offset"), run.describe());
    assertTrue(lines.get(1).matches("\\s+64\\s+1\\s+put\\s+C\\s+5\\s+3\\s+[0-9a-f]{8}\\s+ok"), run.describe());
    assertTrue(lines.get(2).matches("\\s+104\\s+2\\s+put\\s+C\\s+6\\s+6\\s+[0-9a-f]{8}\\s+ok"), run.describe());
    assertTrue(run.out().contains("header: format 2, segment 1, size 65536"), run.describe());
    assertTrue(run.out().contains("the data ends at offset 152 (end marker: zeros)"), run.describe());
    assertTrue(run.out().contains("ok: 2 records read, 0 damaged (bad checksum), 0 damaged stretches"), run.describe());
    assertEquals("", run.err());
  }

  @Test
  void rawAddsTheKeyAndValueBytesInHexCutToMaxBytes() {
    Path store = tmp.resolve("s");
    Stores.createText(store, "k", "0123456789");
    Cli run = Cli.run("dump-segment", "--raw", "--max-bytes", "4", store.resolve("0000000001.seg").toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    assertTrue(run.out().contains("key   6b\n"), run.describe());
    assertTrue(run.out().contains("value 30313233 ... (10 bytes)"), run.describe());
  }

  @Test
  void aDamagedRecordIsMarkedBadWithItsOffsetTheRestIsStillListedAndTheExitIsOne() throws IOException {
    Path store = tmp.resolve("s");
    Stores.createText(store, "a", "AAAAAAAA", "b", "BBBBBBBB", "c", "CCCCCCCC");
    Path seg = store.resolve("0000000001.seg");
    damage(seg, "BBBBBBBB");
    Cli run = Cli.run("dump-segment", seg.toString());
    assertEquals(SettCli.EXIT_DATA, run.exitCode(), run.describe());
    assertTrue(run.out().contains("BAD\n"), run.describe());
    assertTrue(run.out().contains("DAMAGE at offset 112: record checksum mismatch; next sound record at offset 160"),
        run.describe());
    assertTrue(run.out().matches("(?s).*\\s160\\s+3\\s+put.*"), "the record after the damage: " + run.describe());
    assertTrue(run.out().contains("damaged: 3 records read, 1 damaged (bad checksum), 1 damaged stretch of framing"), run.describe());
    assertEquals("", run.err(), "no stack trace, no error line: the damage is the output");
  }

  @Test
  void jsonGivesOneObjectPerRecordAndASummaryLast() throws IOException {
    Path store = tmp.resolve("s");
    Stores.createText(store, "a", "1");
    Path seg = store.resolve("0000000001.seg");
    Files.write(seg, new byte[] {5, 5, 5, 5, 5, 5, 5, 5}, java.nio.file.StandardOpenOption.WRITE,
        java.nio.file.StandardOpenOption.APPEND); // past the header's size: not part of the segment
    Cli run = Cli.run("dump-segment", "--json", "--raw", seg.toString());
    List<String> lines = run.out().lines().collect(Collectors.toList());
    assertEquals(2, lines.size(), run.describe());
    assertTrue(lines.get(0).startsWith("{\"offset\":64,\"sequence\":1,\"type\":\"put\",\"commit\":true,\"keySize\":1,"
        + "\"valueSize\":1,\"crc\":\""), run.describe());
    assertTrue(lines.get(0).endsWith("\"crcOk\":true,\"expiresAt\":null,\"key\":\"61\",\"value\":\"31\"}"),
        run.describe());
    assertTrue(lines.get(1).contains("\"segmentId\":1,") && lines.get(1).contains("\"ending\":\"end_marker\"")
        && lines.get(1).endsWith("\"ok\":true}"), run.describe());
  }

  @Test
  void aSegmentOfAStoreThatIsOpenIsDumpedWithoutChangingIt() throws IOException {
    Path store = tmp.resolve("s");
    try (Store s = Sett.open(store, Stores.SMALL)) {
      s.put(utf8("live"), utf8("value"));
      s.sync();
      Path seg = store.resolve("0000000001.seg");
      byte[] before = Files.readAllBytes(seg);
      Cli run = Cli.run("dump-segment", seg.toString());
      assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
      assertTrue(run.out().contains("ok: 1 record read, 0 damaged"), run.describe());
      assertArrayEquals(before, Files.readAllBytes(seg));
    }
  }

  @Test
  void aFileThatIsNotASegmentIsReportedWithExitOneAndAMissingOneWithExitThree() throws IOException {
    Path notes = Files.writeString(tmp.resolve("notes.seg"), "x".repeat(200));
    Cli run = Cli.run("dump-segment", notes.toString());
    assertEquals(SettCli.EXIT_DATA, run.exitCode(), run.describe());
    assertTrue(run.out().contains("header: the file does not start with the segment magic"), run.describe());
    assertFalse(run.err().contains("Exception"), run.describe());

    Cli missing = Cli.run("dump-segment", tmp.resolve("nothing.seg").toString());
    assertEquals(SettCli.EXIT_STORE, missing.exitCode(), missing.describe());
    assertEquals(1, missing.errLines().size(), missing.describe());
  }
}
