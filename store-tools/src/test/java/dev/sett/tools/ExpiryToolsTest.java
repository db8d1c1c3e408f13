package dev.sett.tools;

import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.core.Sett;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the tools show and carry of values written with a ttl: get --meta, dump-segment, export and load. */
class ExpiryToolsTest {
  @TempDir
  Path tmp;

  /** A store with "session" expiring in an hour and "user" that never expires; returns the expiry. */
  private Instant storeWithExpiry(Path dir) {
    Instant before = Instant.now();
    try (Store s = Sett.open(dir, Stores.SMALL)) {
      s.put(utf8("session"), utf8("token"), Duration.ofHours(1));
      s.put(utf8("user"), utf8("ada"));
    }
    return before.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
  }

  private static Instant expiryIn(String json) {
    int at = json.indexOf("\"expiresAt\":\"");
    assertTrue(at >= 0, json);
    int from = at + "\"expiresAt\":\"".length();
    return Instant.parse(json.substring(from, json.indexOf('"', from)));
  }

  @Test
  void getMetaShowsWhenAValueExpires() {
    Path dir = tmp.resolve("s");
    Instant earliest = storeWithExpiry(dir);
    Cli text = Cli.run("get", "--meta", dir.toString(), "session");
    assertEquals(SettCli.EXIT_OK, text.exitCode(), text.describe());
    assertTrue(text.out().contains("expires   20"), text.describe());
    Cli json = Cli.run("get", "--meta", "--json", dir.toString(), "session");
    Instant at = expiryIn(json.out());
    assertTrue(!at.isBefore(earliest) && at.isBefore(earliest.plusSeconds(60)), at + " vs " + earliest);
    Cli never = Cli.run("get", "--meta", dir.toString(), "user");
    assertTrue(never.out().contains("expires   never"), never.describe());
  }

  @Test
  void dumpSegmentShowsTheExpiryOfExpiringRecordsOnly() {
    Path dir = tmp.resolve("s");
    storeWithExpiry(dir);
    List<Path> segments = listSegments(dir);
    Cli run = Cli.run("dump-segment", segments.get(segments.size() - 1).toString());
    assertEquals(SettCli.EXIT_OK, run.exitCode(), run.describe());
    List<String> lines = run.out().lines().toList();
    assertEquals(1, lines.stream().filter(l -> l.contains(" expires 20")).count(), run.describe());
    Cli json = Cli.run("dump-segment", "--json", segments.get(segments.size() - 1).toString());
    assertTrue(json.out().contains("\"expiresAt\":null"), json.describe());
    expiryIn(json.out());
  }

  @Test
  void exportCarriesTheExpiryAndLoadKeepsIt() throws IOException {
    Path source = tmp.resolve("source");
    storeWithExpiry(source);
    Path dump = tmp.resolve("dump.jsonl");
    Cli export = Cli.run("export", "--no-progress", source.toString(), dump.toString());
    assertEquals(0, export.exitCode(), export.describe());
    List<String> lines = Files.readAllLines(dump);
    assertEquals(3, lines.size());
    Instant exported = expiryIn(lines.get(1)); // "session" sorts before "user"
    assertTrue(!lines.get(2).contains("expiresAt"), lines.get(2));

    Path copy = tmp.resolve("copy");
    Cli load = Cli.run("load", "--no-progress", "--json", copy.toString(), dump.toString());
    assertEquals(0, load.exitCode(), load.describe());
    assertTrue(load.out().contains("\"expired\":0"), load.describe());
    Cli meta = Cli.run("get", "--meta", "--json", copy.toString(), "session");
    Instant loaded = expiryIn(meta.out());
    // Load writes "the time left", measured a moment after the dump was read: the same instant to
    // within that moment.
    assertTrue(Math.abs(Duration.between(exported, loaded).toMillis()) < 5_000, exported + " vs " + loaded);
    assertEquals(Stores.contents(source), Stores.contents(copy));
  }

  @Test
  void loadSkipsRecordsThatHaveAlreadyExpired() throws IOException {
    Path dump = tmp.resolve("dump.jsonl");
    Files.writeString(dump, "{\"format\":\"sett-export\",\"version\":2,\"keyFormat\":\"utf8\",\"valueFormat\":\"utf8\","
        + "\"records\":2}\n"
        + "{\"key\":\"old\",\"value\":\"gone\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}\n"
        + "{\"key\":\"new\",\"value\":\"here\",\"expiresAt\":\"2999-01-01T00:00:00Z\"}\n");
    Path copy = tmp.resolve("copy");
    Cli load = Cli.run("load", "--no-progress", copy.toString(), dump.toString());
    assertEquals(0, load.exitCode(), load.describe());
    assertTrue(load.out().contains("Loaded 1 record") && load.out().contains("skipping 1 that had expired"),
        load.describe());
    try (Store s = Sett.open(copy, Stores.SMALL.toBuilder().readOnly(true).build())) {
      assertNull(s.get(utf8("old")));
      assertArrayEquals(utf8("here"), s.get(utf8("new")));
    }
  }

  @Test
  void putWithTtlWritesAnExpiringValueAndRefusesBadDurations() {
    Path dir = tmp.resolve("s");
    Instant before = Instant.now();
    Cli put = Cli.run("put", "--ttl", "30m", dir.toString(), "k", "v");
    assertEquals(SettCli.EXIT_OK, put.exitCode(), put.describe());
    assertTrue(put.out().contains("expiring in 30m"), put.describe());
    Instant at = expiryIn(Cli.run("get", "--meta", "--json", dir.toString(), "k").out());
    assertTrue(!at.isBefore(before.plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MILLIS))
        && at.isBefore(before.plus(Duration.ofMinutes(31))), at.toString());
    assertEquals(SettCli.EXIT_OK, Cli.run("put", "--ttl", "PT2H", dir.toString(), "iso", "v").exitCode());
    for (String bad : List.of("0s", "-5m", "soon", "10 parsecs")) {
      Cli run = Cli.run("put", "--ttl", bad, dir.toString(), "bad", "v");
      assertEquals(SettCli.EXIT_USAGE, run.exitCode(), run.describe());
      assertTrue(run.err().contains("is not a positive duration"), run.describe());
    }
    assertEquals(SettCli.EXIT_DATA, Cli.run("get", dir.toString(), "bad").exitCode(), "nothing was written");
  }

  private static List<Path> listSegments(Path dir) {
    try (var files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
