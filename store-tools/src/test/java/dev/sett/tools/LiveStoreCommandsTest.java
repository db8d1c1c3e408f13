package dev.sett.tools;

import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.core.Sett;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reading commands on a store a service has open for writing: they work, see what it had
 * committed, and leave it writable. (Reader processes beside a writer process are store-core's
 * LiveReaderProcessTest; the protocol is the same whatever process the writer is in.)
 */
class LiveStoreCommandsTest {
  private static final long PID = ProcessHandle.current().pid();

  @TempDir
  Path tmp;

  private Path live(Store[] writer) {
    Path dir = tmp.resolve("live");
    writer[0] = Sett.open(dir, Stores.SMALL);
    for (int i = 0; i < 2000; i++) {
      writer[0].put(utf8("k" + i), utf8("value-" + i));
    }
    writer[0].put(utf8("hello"), utf8("world"));
    return dir;
  }

  @Test
  void readingCommandsWorkBesideTheWriterAndSeeWhatItCommitted() throws Exception {
    Store[] w = new Store[1];
    Path dir = live(w);
    try (Store writer = w[0]) {
      Cli info = Cli.run("info", dir.toString());
      assertEquals(SettCli.EXIT_OK, info.exitCode(), info.describe());
      assertTrue(info.out().contains("writer         pid " + PID + " (has it open now)"), info.describe());
      assertTrue(info.out().contains("abnormalities  none"), info.describe());
      assertTrue(info.out().replace(",", "").matches("(?s).*live keys\\s+2001.*"), info.describe());

      Cli json = Cli.run("info", "--json", dir.toString());
      assertEquals(SettCli.EXIT_OK, json.exitCode(), json.describe());
      assertTrue(json.out().contains("\"writerPid\": " + PID), json.describe());

      Cli get = Cli.run("get", dir.toString(), "hello");
      assertEquals(SettCli.EXIT_OK, get.exitCode(), get.describe());
      assertEquals("world", get.out().trim());

      Cli scan = Cli.run("scan", "--prefix", "k1999", dir.toString());
      assertEquals(SettCli.EXIT_OK, scan.exitCode(), scan.describe());
      assertTrue(scan.out().contains("value-1999"), scan.describe());

      for (String[] command : new String[][] {{"segments", dir.toString()}, {"verify", dir.toString()},
          {"export", dir.toString(), tmp.resolve("out.jsonl").toString()},
          {"dump-segment", dir.resolve(String.format("%010d.seg", 1)).toString()}}) {
        Cli run = Cli.run(command);
        assertEquals(SettCli.EXIT_OK, run.exitCode(), String.join(" ", command) + "\n" + run.describe());
      }
      assertEquals(2002, Files.readAllLines(tmp.resolve("out.jsonl")).size(), "header and 2001 records");

      writer.put(utf8("after"), utf8("the commands"));
      assertEquals("the commands", new String(writer.get(utf8("after")), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void infoListsTheReadOnlyHandlesOpenOnTheStore() {
    Store[] w = new Store[1];
    Path dir = live(w);
    try (Store writer = w[0]; Store reader = Sett.open(dir, Stores.SMALL.toBuilder().readOnly(true).build())) {
      Cli info = Cli.run("info", dir.toString());
      assertEquals(SettCli.EXIT_OK, info.exitCode(), info.describe());
      assertTrue(info.out().contains("readers        1"), "the command's own handle is closed by then: " + info.describe());
      assertTrue(info.out().contains("pid " + PID + ", open since "), info.describe());
      reader.get(utf8("hello"));
      writer.put(utf8("x"), utf8("y"));
    }
  }

  @Test
  void watchPrintsFramesThatFollowTheWriter() throws Exception {
    Store[] w = new Store[1];
    Path dir = live(w);
    try (Store writer = w[0]) {
      Cli watch = Cli.run("watch", "--count", "3", "--interval", "0.1", dir.toString());
      assertEquals(SettCli.EXIT_OK, watch.exitCode(), watch.describe());
      assertEquals(3, watch.out().split("Ctrl-C stops", -1).length - 1, watch.describe());
      assertTrue(watch.out().contains("writer         pid " + PID), watch.describe());
      assertTrue(!watch.out().contains("\033[2J"), "no screen clearing when the output is not a terminal");
      Cli bad = Cli.run("watch", "--interval", "0", dir.toString());
      assertEquals(SettCli.EXIT_USAGE, bad.exitCode(), bad.describe());
      writer.put(utf8("x"), utf8("y"));
    }
  }

  @Test
  void watchRefreshesBetweenFrames() throws Exception {
    Store[] w = new Store[1];
    Path dir = live(w);
    try (Store writer = w[0]) {
      Thread more = new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          writer.put(utf8("more" + i), utf8("v"));
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      more.start();
      Cli watch = Cli.run("watch", "--count", "4", "--interval", "0.3", dir.toString());
      more.join();
      assertEquals(SettCli.EXIT_OK, watch.exitCode(), watch.describe());
      Map<String, Long> firstAndLast = liveKeys(watch.out());
      assertTrue(firstAndLast.get("last") > firstAndLast.get("first"), "later frames see later writes: " + firstAndLast);
    }
  }

  private static Map<String, Long> liveKeys(String out) {
    long first = -1;
    long last = -1;
    for (String line : out.split("\n")) {
      String t = line.trim();
      if (t.startsWith("live keys")) {
        long n = Long.parseLong(t.replaceAll("[^0-9]", ""));
        if (first < 0) {
          first = n;
        }
        last = n;
      }
    }
    return Map.of("first", first, "last", last);
  }
}
