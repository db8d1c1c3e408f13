package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.VerifyReport;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries of a store directory that Sett did not write, of every name and type: open (writable and
 * read-only), writing, rolling, compaction, close, verify and repair never delete or change them,
 * never hang on them (a FIFO blocks whoever opens it for reading), and never fail because of them.
 * Each case puts one entry in a store whose segment 1 is gone (compacted), named as the case says;
 * {@code NEXT} stands for the id the next new segment would get, so that a collision shows.
 */
class ForeignEntriesTest {
  private static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10)
      .autoCompaction(false).build();
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private Path dir;
  private Path outside;
  private final Map<String, byte[]> expected = new TreeMap<>();

  /** How to make one foreign entry. */
  enum Kind { FILE, UNREADABLE_FILE, DIRECTORY, FIFO, LINK_DANGLING, LINK_TO_DIRECTORY, LINK_TO_DEV_ZERO }

  record Case(String name, Kind kind) {
    @Override
    public String toString() {
      return kind + " " + name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("0000000001.seg.bak", Kind.FILE),
        new Case("00000001.seg", Kind.FILE),
        new Case("x.hint", Kind.FILE),
        new Case("0000000001.hint", Kind.FILE),
        new Case("NEXT.hint", Kind.FILE),
        new Case("2147483647.hint", Kind.FILE),
        new Case("9999999999.seg", Kind.FILE),
        new Case("LOCK.old", Kind.FILE),
        new Case("notes.tmp", Kind.FILE),
        new Case("notes.txt", Kind.UNREADABLE_FILE),
        new Case("subdir", Kind.DIRECTORY),
        new Case("NEXT.seg", Kind.DIRECTORY),
        new Case("stuff.tmp", Kind.DIRECTORY),
        new Case("fifo", Kind.FIFO),
        new Case("NEXT.seg", Kind.FIFO),
        new Case("NEXT.hint", Kind.FIFO),
        new Case("0000000002.hint", Kind.FIFO),
        new Case("pipe.tmp", Kind.FIFO),
        new Case("dangling", Kind.LINK_DANGLING),
        new Case("NEXT.seg", Kind.LINK_DANGLING),
        new Case("elsewhere", Kind.LINK_TO_DIRECTORY),
        new Case("NEXT.seg", Kind.LINK_TO_DIRECTORY),
        new Case("zero", Kind.LINK_TO_DEV_ZERO),
        new Case("NEXT.seg", Kind.LINK_TO_DEV_ZERO),
        new Case("NEXT.hint", Kind.LINK_TO_DEV_ZERO));
  }

  @BeforeEach
  void createStoreWithoutSegmentOne() throws IOException {
    dir = tmp.resolve("store");
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("theirs.txt"), "not Sett's");
    try (Store s = Sett.open(dir, OPTIONS)) {
      for (int i = 0; i < 100; i++) {
        put(s, "k" + i, i);
      }
      for (int i = 0; i < 60; i++) {
        put(s, "k" + i, 1000 + i);
      }
      s.compact(true);
    }
    assertFalse(Files.exists(dir.resolve(SegmentFormat.segmentFileName(1))), "segment 1 was compacted away");
  }

  /** Opens every FIFO read-write (which never blocks), releasing any thread stuck opening it. */
  @AfterEach
  void releaseFifos() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
          FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
        }
      }
    }
  }

  private void put(Store s, String key, int version) {
    byte[] value = b(key + "@" + version + ":" + "x".repeat(1000));
    s.put(b(key), value);
    expected.put(key, value);
  }

  private int nextSegmentId() throws IOException {
    int max = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        max = Math.max(max, SegmentFormat.idOf(p.getFileName().toString(), SegmentFormat.SEGMENT_SUFFIX));
      }
    }
    return max + 1;
  }

  private Path make(Case c) throws Exception {
    String name = c.name().replace("NEXT", String.format("%010d", nextSegmentId()));
    Path p = dir.resolve(name);
    byte[] junk = new byte[5000];
    new Random(name.hashCode()).nextBytes(junk);
    switch (c.kind()) {
      case FILE -> Files.write(p, junk);
      case UNREADABLE_FILE -> {
        Files.write(p, junk);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
      }
      case DIRECTORY -> {
        Files.createDirectory(p);
        if (!name.endsWith(".seg")) {
          Files.write(p.resolve("inside.txt"), junk);
        }
      }
      case FIFO -> {
        Files.deleteIfExists(p); // 0000000002.hint: an operator replaced the hint of a live segment
        assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor());
      }
      case LINK_DANGLING -> Files.createSymbolicLink(p, tmp.resolve("missing"));
      case LINK_TO_DIRECTORY -> Files.createSymbolicLink(p, outside);
      case LINK_TO_DEV_ZERO -> Files.createSymbolicLink(p, Path.of("/dev/zero"));
    }
    return p;
  }

  /** What the entry is, without following a link or opening anything. */
  private static String fingerprint(Path p) throws IOException {
    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (a.isSymbolicLink()) {
      return "link to " + Files.readSymbolicLink(p);
    }
    if (a.isDirectory()) {
      try (Stream<Path> s = Files.list(p)) {
        return "directory " + s.map(q -> q.getFileName().toString()).sorted().toList();
      }
    }
    if (a.isOther()) {
      return "special file";
    }
    return "file " + Arrays.hashCode(Files.readAllBytes(p)) + " " + a.size() + " bytes, "
        + PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  private void assertEveryValue(Store s) {
    for (Map.Entry<String, byte[]> e : expected.entrySet()) {
      assertTrue(Arrays.equals(e.getValue(), s.get(b(e.getKey()))), "value of " + e.getKey());
    }
  }

  @Test
  void onlySettsOwnTemporaryFilesAreDeletedOnOpen() throws Exception {
    List<String> own = List.of("0000000009.seg.tmp", "0000000002.hint.tmp", "sett.store.tmp",
        "repair-20260101-120000-000.txt.tmp");
    List<String> theirs = List.of("notes.tmp", "0000000009.seg.tmp.tmp", "seg.tmp", "sett.store.bak.tmp");
    for (String name : own) {
      Files.write(dir.resolve(name), new byte[100]);
    }
    for (String name : theirs) {
      Files.writeString(dir.resolve(name), "mine");
    }
    try (Store s = Sett.open(dir, OPTIONS)) {
      assertEveryValue(s);
    }
    for (String name : own) {
      assertFalse(Files.exists(dir.resolve(name)), name + " is Sett's leftover");
    }
    for (String name : theirs) {
      assertEquals("mine", Files.readString(dir.resolve(name)), name + " is not Sett's");
    }
  }

  @ParameterizedTest(name = "{0}: left alone by open, writes, compaction, close, verify and repair")
  @MethodSource("cases")
  void aForeignEntryIsNeverDeletedChangedOrHungOn(Case c) throws Exception {
    Path foreign = make(c);
    String before = fingerprint(foreign);
    List<String> problems = new ArrayList<>();

    assertTimeoutPreemptively(LIMIT, () -> {
      try (Store s = Sett.open(dir, OPTIONS)) {
        assertEveryValue(s);
        for (int round = 0; round < 3; round++) {
          for (int i = 0; i < 100; i++) {
            put(s, "k" + i, 2000 + round * 100 + i);
          }
        }
        s.compact(true);
        assertEveryValue(s);
      }
    }, "writable open, writes, rolls, compaction, close");
    assertEquals(before, fingerprint(foreign), "after a writable open");

    assertTimeoutPreemptively(LIMIT, () -> {
      try (Store s = Sett.open(dir, OPTIONS.toBuilder().readOnly(true).build())) {
        assertEveryValue(s);
      }
    }, "read-only open");
    assertEquals(before, fingerprint(foreign), "after a read-only open");

    VerifyReport report = assertTimeoutPreemptively(LIMIT, () -> Sett.verify(dir), "verify");
    for (VerifyReport.Problem p : report.problems()) {
      problems.add(p.file().getFileName() + ": " + p.problem().replaceFirst(":.*", ""));
    }
    boolean settLikeFile = c.kind() == Kind.FILE && SegmentFormat.idOf(foreign.getFileName().toString(),
        SegmentFormat.HINT_SUFFIX) > 0;
    assertEquals(settLikeFile ? List.of(foreign.getFileName() + ": hint file without its segment") : List.of(),
        problems, "verify reports the store's own files only");
    assertEquals(before, fingerprint(foreign), "after verify");

    assertTimeoutPreemptively(LIMIT, () -> Sett.repair(dir, true), "repair --dry-run");
    assertEquals(before, fingerprint(foreign), "after a dry-run repair");
    assertTimeoutPreemptively(LIMIT, () -> Sett.repair(dir, false), "repair");
    assertEquals(before, fingerprint(foreign), "after repair");

    assertTimeoutPreemptively(LIMIT, () -> {
      try (Store s = Sett.open(dir, OPTIONS)) {
        assertEveryValue(s);
      }
    }, "reopen after repair");
    assertEquals(before, fingerprint(foreign), "after the last open");
    assertEquals("not Sett's", Files.readString(outside.resolve("theirs.txt")));
  }
}
