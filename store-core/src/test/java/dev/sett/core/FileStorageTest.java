package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorageTest {
  @TempDir Path dir;

  private static final FileStorage STORAGE = FileStorage.INSTANCE;

  private static byte[] content(int length) {
    byte[] b = new byte[length];
    new SplittableRandom(length).nextBytes(b);
    return b;
  }

  @Test
  void filesLargerThanOneChunkAreWrittenAndReadBackWhole() throws Exception {
    for (int length : new int[] {0, 1, FileStorage.IO_CHUNK - 1, FileStorage.IO_CHUNK, 3 * FileStorage.IO_CHUNK + 17}) {
      Path f = dir.resolve("f" + length);
      byte[] c = content(length);
      STORAGE.writeAtomically(f, c);
      assertArrayEquals(c, Files.readAllBytes(f), "written, " + length + " bytes");
      assertArrayEquals(c, STORAGE.readAll(f), "readAll, " + length + " bytes");
      byte[] into = new byte[length + 5];
      assertEquals(length, STORAGE.readAll(f, into));
      assertArrayEquals(c, Arrays.copyOf(into, length), "readAll into, " + length + " bytes");
      if (length > 10) {
        ByteBuffer part = STORAGE.read(f, 7, length - 10);
        assertArrayEquals(Arrays.copyOfRange(c, 7, length - 3), Arrays.copyOfRange(part.array(), 0, part.remaining()),
            "read from 7, " + length + " bytes");
      }
      ByteBuffer past = STORAGE.read(f, 0, length + 100);
      assertEquals(length, past.remaining(), "a read past the end returns what the file has");
    }
  }

  @Test
  void largeReadsAndWritesLeaveTheThreadAtMostOneChunkOfNativeBuffer() throws Exception {
    BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
    int length = 16 << 20;
    byte[] c = content(length);
    Path f = dir.resolve("big");
    AtomicReference<Object> outcome = new AtomicReference<>();
    // A thread of its own, alive while measured: the JDK keeps a thread's temporary buffers until it ends.
    Thread t = new Thread(() -> {
      try {
        long before = direct.getMemoryUsed();
        STORAGE.writeAtomically(f, c);
        byte[] back = STORAGE.readAll(f);
        STORAGE.readAll(f, new byte[length]);
        STORAGE.read(f, 0, length);
        assertArrayEquals(c, back);
        outcome.set(direct.getMemoryUsed() - before);
      } catch (Throwable e) {
        outcome.set(e);
      }
    });
    t.start();
    t.join();
    if (outcome.get() instanceof Throwable e) {
      throw new AssertionError(e);
    }
    long grew = (Long) outcome.get();
    // Unchunked, the thread would keep a 16 MiB buffer; other threads may allocate a little meanwhile.
    assertTrue(grew < 4L << 20, "native buffers grew by " + grew + " bytes for a 16 MiB file");
  }

  @Test
  void allZeroFindsOneNonZeroByteAnywhereInTheRangeAndNothingOutsideIt() throws Exception {
    int length = 3 * FileStorage.IO_CHUNK + 13;
    Path f = dir.resolve("zeros");
    Files.write(f, new byte[length]);
    FileStorage s = FileStorage.INSTANCE;
    assertTrue(s.allZero(f, 0, length));
    assertTrue(s.allZero(f, 5, length + 4096), "bytes past the end count as zero");
    for (int at : new int[] {0, 7, 8, FileStorage.IO_CHUNK - 1, FileStorage.IO_CHUNK, 2 * FileStorage.IO_CHUNK + 3,
        length - 1}) {
      byte[] content = new byte[length];
      content[at] = 1;
      Files.write(f, content);
      assertFalse(s.allZero(f, 0, length), "a non-zero byte at " + at);
      assertFalse(s.allZero(f, at, at + 1), "the range is the one byte at " + at);
      assertTrue(s.allZero(f, at + 1, length), "the range starts after the byte at " + at);
      assertTrue(s.allZero(f, 0, at), "the range ends before the byte at " + at);
    }
  }
}
