package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.CorruptionException;
import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.VerifyReport;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store directory may hold entries Sett did not write, of any name and any type. Sett never
 * deletes or changes them, and never hangs on them (a FIFO blocks whoever opens it for reading).
 */
@EnabledOnOs(OS.LINUX)
class ForeignEntriesTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final StoreOptions SMALL = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();

  @TempDir Path tmp;

  private Path dir() {
    return tmp.resolve("store");
  }

  private static void mkfifo(Path p) throws Exception {
    Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertEquals(0, mk.waitFor(), "mkfifo " + p);
  }

  /** Adds foreign entries of every kind; returns each with what it was ("file:<content>", "fifo", ...). */
  private Map<Path, String> addForeignEntries() throws Exception {
    Map<Path, String> added = new LinkedHashMap<>();
    for (String name : new String[] {"notes.tmp", "backup.tmp", "0000000001.seg.bak", "00000001.seg", "x.hint",
        "LOCK.old", "0000000001.seg.tmp.keep", "sett.store.bak"}) {
      Files.writeString(dir().resolve(name), "foreign " + name);
      added.put(dir().resolve(name), "file:foreign " + name);
    }
    mkfifo(dir().resolve("pipe"));
    added.put(dir().resolve("pipe"), "other");
    mkfifo(dir().resolve("0000000099.hint"));
    added.put(dir().resolve("0000000099.hint"), "other");
    Files.createDirectory(dir().resolve("subdir"));
    added.put(dir().resolve("subdir"), "dir");
    Files.createDirectory(dir().resolve("0000000098.hint"));
    added.put(dir().resolve("0000000098.hint"), "dir");
    Files.createSymbolicLink(dir().resolve("dangling"), tmp.resolve("nowhere"));
    added.put(dir().resolve("dangling"), "link");
    Files.createSymbolicLink(dir().resolve("0000000097.hint"), Path.of("/dev/zero"));
    added.put(dir().resolve("0000000097.hint"), "link");
    return added;
  }

  private static void assertUntouched(Map<Path, String> entries, String after) throws Exception {
    for (Map.Entry<Path, String> e : entries.entrySet()) {
      Path p = e.getKey();
      String was = e.getValue();
      assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), after + ": " + p.getFileName() + " was deleted");
      if (was.startsWith("file:")) {
        assertEquals(was.substring(5), Files.readString(p), after + ": " + p.getFileName() + " was changed");
      } else if (was.equals("dir")) {
        assertTrue(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS), after + ": " + p.getFileName());
      } else if (was.equals("link")) {
        assertTrue(Files.isSymbolicLink(p), after + ": " + p.getFileName());
      } else {
        assertTrue(Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS).isOther(), after + ": " + p.getFileName() + " is no longer a FIFO");
      }
    }
  }

  @Test
  void foreignEntriesOfAnyNameAndTypeAreNeverDeletedAndNeverBlock() throws Exception {
    try (Store s = Sett.open(dir(), SMALL)) {
      for (int i = 0; i < 300; i++) {
        s.put(b("k" + i), new byte[500]);
      }
    }
    Map<Path, String> foreign = addForeignEntries();
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Store s = Sett.open(dir(), SMALL)) {
        for (int i = 0; i < 300; i++) {
          s.put(b("k" + (i % 50)), new byte[700]);
        }
        s.compact(true);
        assertArrayEquals(new byte[700], s.get(b("k1")));
      }
      assertUntouched(foreign, "a writable open, writes, compaction and close");
      try (Store s = Sett.open(dir(), SMALL.toBuilder().readOnly(true).build())) {
        assertArrayEquals(new byte[500], s.get(b("k299")));
      }
      assertUntouched(foreign, "a read-only open");
      VerifyReport report = Sett.verify(dir());
      assertTrue(report.ok(), report.problems().toString());
      Sett.repair(dir(), true);
      Sett.repair(dir(), false);
      assertUntouched(foreign, "verify and repair");
      try (Store s = Sett.open(dir(), SMALL)) {
        assertArrayEquals(new byte[500], s.get(b("k299")));
      }
    });
  }

  @Test
  void anEntryNamedLikeASegmentThatIsNotAFileIsRefusedClearlyWithoutBlocking() throws Exception {
    try (Store s = Sett.open(dir(), SMALL)) {
      s.put(b("k"), b("v"));
    }
    for (String kind : new String[] {"fifo", "dir", "link"}) {
      Path odd = dir().resolve("0000000050.seg");
      switch (kind) {
        case "fifo" -> mkfifo(odd);
        case "dir" -> Files.createDirectory(odd);
        default -> Files.createSymbolicLink(odd, tmp.resolve("gone"));
      }
      assertTimeoutPreemptively(LIMIT, () -> {
        CorruptionException e = assertThrows(CorruptionException.class, () -> Sett.open(dir(), SMALL), kind);
        assertEquals(odd, e.file());
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        VerifyReport report = Sett.verify(dir());
        assertFalse(report.ok(), kind);
        assertThrows(CorruptionException.class, () -> Sett.repair(dir(), false), kind);
        assertTrue(Files.exists(odd, LinkOption.NOFOLLOW_LINKS), kind + " was deleted");
      });
      Files.delete(odd);
      try (Store s = Sett.open(dir(), SMALL)) {
        assertArrayEquals(b("v"), s.get(b("k")), kind);
      }
    }
  }

  @Test
  void aFifoOrLinkWithTheNameOfALiveSegmentsHintIsNeverReplaced() throws Exception {
    try (Store s = Sett.open(dir(), SMALL)) {
      s.put(b("k"), b("v"));
    }
    Path hint = dir().resolve("0000000001.hint");
    Files.deleteIfExists(hint);
    mkfifo(hint);
    Path hint2 = dir().resolve("0000000002.hint");
    Files.createSymbolicLink(hint2, Path.of("/dev/zero"));
    assertTimeoutPreemptively(LIMIT, () -> {
      try (Store s = Sett.open(dir(), SMALL)) {
        for (int i = 0; i < 400; i++) {
          s.put(b("k" + i), new byte[500]); // rolls: segments 1 and 2 are sealed and get hints
        }
      }
      try (Store s = Sett.open(dir(), SMALL)) {
        assertArrayEquals(new byte[500], s.get(b("k399")));
      }
    });
    assertTrue(Files.readAttributes(hint, java.nio.file.attribute.BasicFileAttributes.class,
        LinkOption.NOFOLLOW_LINKS).isOther(), "the FIFO was replaced by a hint");
    assertTrue(Files.isSymbolicLink(hint2), "the link was replaced by a hint");
  }
}
