package dev.sett.tools;

import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on a store directory that holds entries Sett did not write, of every type: info lists
 * each one for what it is, backup copies the store and nothing else, and no command hangs on a FIFO,
 * follows a link or changes any of them.
 */
class ForeignEntriesCliTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private Path store;
  private Path outside;
  private Map<String, String> before;

  @BeforeEach
  void storeWithForeignEntries() throws Exception {
    store = tmp.resolve("store");
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("theirs.txt"), "not Sett's");
    Stores.create(store, utf8("a"), utf8("1"), utf8("b"), utf8("2"));
    Files.writeString(store.resolve("0000000001.seg.bak"), "an operator's copy");
    Files.writeString(store.resolve("00000001.seg"), "short name");
    Files.writeString(store.resolve("x.hint"), "not a hint");
    Files.writeString(store.resolve("0000000007.hint"), "a hint without its segment");
    Files.writeString(store.resolve("LOCK.old"), "pid 1");
    Files.writeString(store.resolve("notes.tmp"), "mine");
    Files.writeString(store.resolve("secret"), "unreadable");
    Files.setPosixFilePermissions(store.resolve("secret"), PosixFilePermissions.fromString("---------"));
    Files.createDirectory(store.resolve("0000000005.seg"));
    Files.createDirectory(store.resolve("subdir"));
    Files.writeString(store.resolve("subdir").resolve("inside.txt"), "inside");
    mkfifo(store.resolve("fifo"));
    mkfifo(store.resolve("pipe.seg"));
    mkfifo(store.resolve("0000000006.seg"));
    mkfifo(store.resolve("0000000006.hint"));
    Files.createSymbolicLink(store.resolve("dangling"), tmp.resolve("missing"));
    Files.createSymbolicLink(store.resolve("elsewhere"), outside);
    Files.createSymbolicLink(store.resolve("linked.hint"), outside);
    Files.createSymbolicLink(store.resolve("zero"), Path.of("/dev/zero"));
    Files.createSymbolicLink(store.resolve("0000000008.seg"), Path.of("/dev/zero"));
    Files.createSymbolicLink(store.resolve("null.seg"), Path.of("/dev/null"));
    before = foreignEntries();
  }

  /** Opens every FIFO read-write (which never blocks), releasing any thread stuck opening it. */
  @AfterEach
  void releaseFifos() throws IOException {
    for (Path dir : List.of(store, tmp.resolve("copy"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          if (Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
            FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
          }
        }
      }
    }
  }

  private static void mkfifo(Path p) throws Exception {
    assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor());
  }

  /** Every entry but the store's own files, with what it is (never following a link or opening a FIFO). */
  private Map<String, String> foreignEntries() throws IOException {
    Map<String, String> found = new TreeMap<>();
    try (Stream<Path> s = Files.list(store)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        if (name.equals("sett.store") || name.equals("LOCK") || name.matches("000000000[1-4]\\.(seg|hint)")) {
          continue;
        }
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        found.put(name, a.isSymbolicLink() ? "link to " + Files.readSymbolicLink(p)
            : a.isDirectory() ? "directory" : a.isOther() ? "special"
            : "file " + Arrays.hashCode(Files.readAllBytes(p)));
      }
    }
    return found;
  }

  private Cli run(String... args) {
    return assertTimeoutPreemptively(LIMIT, () -> Cli.run(args), () -> String.join(" ", args));
  }

  @Test
  void infoListsEveryForeignEntryForWhatItIs() throws IOException {
    Cli info = run("info", store.toString());
    assertEquals(SettCli.EXIT_OK, info.exitCode(), info.describe());
    for (String expected : List.of(
        "file 0000000001.seg.bak (not written by Sett)",
        "file 00000001.seg (not written by Sett)",
        "file x.hint (not written by Sett)",
        "hint file 0000000007.hint without its segment",
        "file LOCK.old (not written by Sett)",
        "file notes.tmp (not written by Sett)",
        "file secret (not written by Sett)",
        "directory 0000000005.seg (Sett never creates one)",
        "directory subdir (Sett never creates one)",
        "FIFO fifo (Sett never opens one)",
        "FIFO pipe.seg (Sett never opens one)",
        "FIFO 0000000006.seg (Sett never opens one)",
        "FIFO 0000000006.hint (Sett never opens one)",
        "symbolic link dangling -> " + tmp.resolve("missing") + " (dangling; Sett never follows one)",
        "symbolic link elsewhere -> " + outside + " (Sett never follows one)",
        "symbolic link linked.hint -> " + outside + " (Sett never follows one)",
        "symbolic link zero -> /dev/zero (Sett never follows one)",
        "symbolic link 0000000008.seg -> /dev/zero (Sett never follows one)",
        "symbolic link null.seg -> /dev/null (Sett never follows one)")) {
      assertTrue(info.out().contains("    " + expected + "\n"), "missing '" + expected + "' in\n" + info.describe());
    }
    assertTrue(info.out().contains("abnormalities  19\n"), info.describe());
    assertEquals(before, foreignEntries());
  }

  @Test
  void backupCopiesTheStoreAndNothingElse() throws IOException {
    Path copy = tmp.resolve("copy");
    Cli backup = run("backup", "--no-progress", store.toString(), copy.toString());
    assertEquals(SettCli.EXIT_OK, backup.exitCode(), backup.describe());
    try (Stream<Path> s = Files.list(copy)) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      // LOCK is the copy's own, made when the backup verified it.
      assertEquals(List.of("0000000001.hint", "0000000001.seg", "LOCK", "sett.store"), names, backup.describe());
    }
    assertEquals(before, foreignEntries());
  }

  @Test
  void verifyRepairCompactAndWritesLeaveThemAlone() throws IOException {
    Cli verify = run("verify", "--no-progress", store.toString());
    assertTrue(verify.out().contains("0000000007.hint at offset 0: hint file without its segment"),
        verify.describe());
    assertEquals(1, verify.out().lines().filter(l -> l.contains(" at offset ")).count(), verify.describe());
    for (String[] args : List.of(
        new String[] {"repair", "--no-progress", store.toString()},
        new String[] {"put", store.toString(), "c", "3"},
        new String[] {"compact", "--no-progress", "--force", store.toString()},
        new String[] {"delete", store.toString(), "a"},
        new String[] {"get", store.toString(), "b"},
        new String[] {"scan", store.toString()},
        new String[] {"segments", store.toString()})) {
      Cli r = run(args);
      assertEquals(SettCli.EXIT_OK, r.exitCode(), r.describe());
      assertEquals(before, foreignEntries(), String.join(" ", args));
    }
    assertEquals(List.of("62=32", "63=33"), Stores.contents(store));
  }
}
