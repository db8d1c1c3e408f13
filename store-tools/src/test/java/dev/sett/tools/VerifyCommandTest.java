package dev.sett.tools;

import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sett verify}, end to end on stores made in the test. */
class VerifyCommandTest {
  @TempDir Path tmp;

  @Test
  void aSoundStoreVerifiesWithExitZero() {
    Path store = tmp.resolve("sound");
    Stores.create(store, utf8("a"), utf8("1"), utf8("b"), utf8("2"));
    Cli run = Cli.run("verify", store.toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    assertTrue(run.out().startsWith("ok: "), run.describe());
    assertTrue(run.out().contains("2 record(s)"), run.describe());
  }

  @Test
  void aDamagedRecordIsReportedWithFileOffsetAndExitOne() throws IOException {
    Path store = tmp.resolve("damaged");
    Stores.create(store, utf8("a"), utf8("AAAAAAAAAAAAAAAA"), utf8("b"), utf8("2"));
    Path segment;
    try (Stream<Path> s = Files.list(store)) {
      segment = s.filter(p -> p.toString().endsWith(".seg")).collect(Collectors.toList()).get(0);
    }
    byte[] data = Files.readAllBytes(segment);
    int at = new String(data, StandardCharsets.ISO_8859_1).indexOf("AAAAAAAAAAAAAAAA");
    data[at] ^= 1;
    Files.write(segment, data);
    Cli run = Cli.run("verify", "--json", store.toString());
    assertEquals(SettCli.EXIT_DATA, run.exitCode(), run.describe());
    List<String> lines = run.out().lines().collect(Collectors.toList());
    assertEquals(2, lines.size(), run.describe());
    assertTrue(lines.get(0).contains("\"ok\":false") && lines.get(0).contains("\"problems\":1"), run.describe());
    assertTrue(lines.get(1).contains("\"problem\":\"record checksum mismatch"), run.describe());
    assertTrue(lines.get(1).contains(segment.getFileName().toString()), run.describe());
  }

  @Test
  void aMissingDirectoryExitsThree() {
    Cli run = Cli.run("verify", tmp.resolve("nothing").toString());
    assertEquals(SettCli.EXIT_STORE, run.exitCode(), run.describe());
    assertEquals(1, run.errLines().size(), run.describe());
  }
}
