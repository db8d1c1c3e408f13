package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSpaceTest {
  private static final int SIZE = 8 << 20;

  @TempDir Path dir;

  private static byte[] header() {
    byte[] h = new byte[SegmentFormat.HEADER_SIZE];
    Arrays.fill(h, (byte) 0xAB);
    return h;
  }

  @Test
  void reserveAllocatesEveryBlockAndTheRestReadsAsZeros() throws Exception {
    Path file = dir.resolve("reserved.seg");
    Files.write(file, header());
    assumeTrue(FileSpace.reserve(file, SIZE), "this file system has no fallocate");
    assertEquals(SIZE, Files.size(file));
    long allocated = StoreTestSupport.allocatedBytes(file);
    assertTrue(allocated < 0 || allocated >= SIZE, allocated + " bytes allocated of " + SIZE);
    byte[] start = new byte[SegmentFormat.HEADER_SIZE];
    System.arraycopy(Files.readAllBytes(file), 0, start, 0, start.length);
    assertArrayEquals(header(), start, "the header stays");
    assertTrue(FileStorage.INSTANCE.allZero(file, SegmentFormat.HEADER_SIZE, SIZE), "the rest reads as zeros");
  }

  @Test
  void reserveOfAMissingFileNamesTheFileAndCreatesNothing() {
    Path missing = dir.resolve("missing.seg");
    IOException e = assertThrows(IOException.class, () -> FileSpace.reserve(missing, SIZE));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertFalse(Files.exists(missing));
  }

  /** Whichever way the blocks are allocated, a created file is the same: header, zeros, every block allocated. */
  @Test
  void createFilledGivesTheSameFileWithAndWithoutFallocate() throws Exception {
    for (boolean reserve : new boolean[] {true, false}) {
      Path file = dir.resolve("created-" + reserve + ".seg");
      FileSpace.usableForTests(reserve);
      try {
        FileStorage.INSTANCE.createFilled(file, ByteBuffer.wrap(header()), SIZE);
      } finally {
        FileSpace.usableForTests(true);
      }
      assertEquals(SIZE, Files.size(file), "reserve " + reserve);
      long allocated = StoreTestSupport.allocatedBytes(file);
      assertTrue(allocated < 0 || allocated >= SIZE, "reserve " + reserve + ": " + allocated + " bytes allocated");
      byte[] all = Files.readAllBytes(file);
      assertArrayEquals(header(), Arrays.copyOf(all, SegmentFormat.HEADER_SIZE), "reserve " + reserve);
      assertTrue(FileStorage.INSTANCE.allZero(file, SegmentFormat.HEADER_SIZE, SIZE), "reserve " + reserve);
    }
  }
}
