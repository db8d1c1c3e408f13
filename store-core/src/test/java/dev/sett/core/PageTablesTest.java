package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dropping a mapping's page table entries before a force: the pages leave this process's page
 * tables, and not one byte is lost, in memory or on disk.
 */
class PageTablesTest {
  private static final int SIZE = 1 << 20;

  @TempDir Path dir;

  @Test
  void droppedPagesLeaveThePageTablesAndEveryByteStaysInMemoryAndReachesTheDisk() throws Exception {
    assumeTrue(System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux"),
        "madvise is used on Linux only");
    Path file = dir.resolve("region");
    Files.write(file, new byte[SIZE]);
    byte[] written = new byte[SIZE];
    new SplittableRandom(7).nextBytes(written);
    ChronicleRegion region = ChronicleRegion.map(file, SIZE, false);
    try {
      assertEquals(mappingOf(file), List.of(region.mappedAddress(), region.mappedAddress() + region.mappedLength()),
          "the range dropped is exactly the file's mapping, never more");
      region.write(0, written, 0, SIZE);
      long before = residentKib(file);
      assertTrue(before >= SIZE / 1024 / 2, "the written pages are mapped: " + before + " KiB resident");
      region.dropPageTableEntries();
      long after = residentKib(file);
      assertTrue(after < 64, "the page table entries went: " + after + " KiB resident, " + before + " before");
      byte[] read = new byte[SIZE];
      region.read(0, read, 0, SIZE);
      assertArrayEquals(written, read, "every byte reads back through the mapping (from the page cache)");
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.force(false);
      }
    } finally {
      region.release();
    }
    // Through the file system, after the mapping is gone: the dirty pages were written back.
    assertArrayEquals(written, Files.readAllBytes(file), "the file holds every byte written through the mapping");
  }

  @Test
  void misalignedOrEmptyRangesAreLeftAlone() {
    assertFalse(PageTables.drop(0, 4096), "no address");
    assertFalse(PageTables.drop(4097, 4096), "not page-aligned");
    assertFalse(PageTables.drop(4096, 100), "less than a page");
    assertFalse(PageTables.drop(4096, -1), "negative");
  }

  @Test
  void aSealedSegmentIsForcedWithItsPagesOutOfThePageTablesAndReadsOnAsBefore() throws Exception {
    assumeTrue(System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux"),
        "madvise is used on Linux only");
    StoreOptions options = StoreOptions.builder().segmentSize(1 << 20).syncMode(SyncMode.NONE)
        .autoCompaction(false).build();
    byte[] value = new byte[1000];
    try (Store store = Sett.open(dir, options)) {
      for (int i = 0; i < 3000; i++) {
        value[0] = (byte) i;
        store.put(StoreTestSupport.b("k" + i), value);
      }
      List<Path> segments = StoreTestSupport.segmentFiles(dir);
      assertTrue(segments.size() >= 3, "segments rolled: " + segments);
      Path first = segments.get(segments.size() - 2); // the newest sealed one: the largest so far
      // The sealer forces a rolled segment, then writes its hint: once the hint is there, the
      // sealer is done with it.
      Path hint = dir.resolve(first.getFileName().toString().replace(SegmentFormat.SEGMENT_SUFFIX,
          SegmentFormat.HINT_SUFFIX));
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!Files.exists(hint)) {
        assertTrue(System.nanoTime() < deadline, "the sealer wrote " + hint);
        Thread.sleep(10);
      }
      long resident = residentKib(first);
      long sizeKib = Files.size(first) / 1024;
      assertTrue(sizeKib >= 256, first + " is " + sizeKib + " KiB");
      assertTrue(resident < sizeKib / 8, "the sealed segment's written pages left the page tables: " + resident
          + " KiB of " + sizeKib + " KiB resident");
      for (int i = 0; i < 3000; i++) {
        byte[] got = store.get(StoreTestSupport.b("k" + i));
        assertEquals((byte) i, got[0], "key k" + i);
        assertEquals(value.length, got.length);
      }
      assertTrue(residentKib(first) > resident, "reads fault the pages back in");
    }
  }

  /** The one mapping of {@code file} in this process, as [start, end), from /proc/self/maps. */
  private static List<Long> mappingOf(Path file) throws IOException {
    String name = " " + file.toRealPath();
    List<List<Long>> found = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
      if (line.endsWith(name)) {
        String[] range = line.substring(0, line.indexOf(' ')).split("-");
        found.add(List.of(Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16)));
      }
    }
    assertEquals(1, found.size(), "one mapping of " + file + ": " + found);
    return found.get(0);
  }

  /** The resident size of this process's mapping of {@code file}, from /proc/self/smaps (KiB). */
  private static long residentKib(Path file) throws IOException {
    String name = file.toRealPath().toString();
    long total = 0;
    boolean inFile = false;
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/smaps"))) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) { // a mapping's header line
          inFile = line.endsWith(" " + name);
        } else if (inFile && line.startsWith("Rss:")) {
          total += Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    }
    return total;
  }
}
