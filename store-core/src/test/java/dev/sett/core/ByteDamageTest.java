package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.CorruptionException;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to the bytes of a store after they were written, at every position: each byte of every
 * file flipped, and every file cut at every offset, each case opened afresh (files in memory, see
 * {@link MemoryStorage}, so that hundreds of thousands of opens take minutes, not hours).
 *
 * <p>Passing means: a flip is detected, by the open, by reading every key with the optional
 * checksum-on-read, or by {@code verify} (a {@link StoreException}; a {@link CorruptionException}
 * naming the damaged file when the damage is in a segment), or is harmless (every value reads back
 * exactly as written: the byte held no data, such as padding, or a hint file, which recovery then
 * ignores and rebuilds); never a wrong value. A cut
 * segment opens with exactly the whole records before the cut when it is the newest segment of a
 * store that was not closed (a crash), and otherwise fails the open naming the file, and opens
 * with exactly the records before the cut when salvage is asked for.
 */
@Tag("reliability")
class ByteDamageTest {
  private static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();
  private static final StoreOptions SALVAGE = OPTIONS.toBuilder().salvage(true).build();
  /** How a flipped store is read: with the optional checksum-on-read. */
  private static final StoreOptions VERIFYING = OPTIONS.toBuilder().verifyChecksums(true).build();

  @TempDir
  Path tmp;

  private Path dir;
  private MemoryStorage image;

  /** A store of about {@code bytes} over several segments; closed cleanly when {@code close}. */
  private MemoryStorage build(int bytes, boolean close) throws Exception {
    dir = tmp.resolve(close ? "closed" : "crashed");
    MemoryStorage storage = new MemoryStorage();
    storage.createDirectories(dir);
    Random random = new Random(42);
    Store s = SettStore.open(storage, dir, OPTIONS.toBuilder().syncMode(SyncMode.ALWAYS).build());
    int segments = Math.max(1, bytes / OPTIONS.segmentSize());
    int i = 0;
    while (true) {
      List<Path> files = segmentsOf(storage);
      if (files.size() == segments && dataEnd(storage, files.get(files.size() - 1)) > (OPTIONS.segmentSize() * 3) / 4) {
        break;
      }
      String key = "key-" + (i % 97 == 0 ? i : random.nextInt(60));
      if (i % 7 == 3) {
        WriteBatch b = new WriteBatch();
        b.put(bytes(key), value(i, key, random)).put(bytes("batch-" + i), value(i, "batch-" + i, random));
        s.write(b);
      } else if (i % 11 == 5) {
        s.delete(bytes(key));
      } else {
        s.put(bytes(key), value(i, key, random));
      }
      i++;
    }
    if (close) {
      s.close();
    }
    // Without a close the store is left as a killed process leaves it; copy() forgets the handle.
    MemoryStorage image = storage.copy();
    if (!close) {
      s.close();
    }
    return image;
  }

  private static byte[] value(int i, String key, Random random) {
    return WriteHistory.value(i, key, 1 + random.nextInt(random.nextInt(5) == 0 ? 3000 : 300));
  }

  /** One damaged store to try: which file was damaged, and where. */
  private record Case(Path file, int position) {
  }

  /** What a worker made of one case: null when it passed, else the problem. */
  private interface Check {
    String run(Case c, MemoryStorage disk, Path dir);
  }

  /**
   * Runs {@code check} on every case from {@code cases}, on one worker per core, each with its own
   * directory (a store directory can be open once per process). Returns the problems, at most 10.
   */
  private List<String> runCases(List<Path> files, java.util.function.BiFunction<Path, Integer, byte[]> damage,
      java.util.function.ToIntFunction<Path> positions, Check check) throws Exception {
    int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    java.util.concurrent.ConcurrentLinkedQueue<String> problems = new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    List<int[]> work = new ArrayList<>();
    for (int f = 0; f < files.size(); f++) {
      for (int pos = 0; pos < positions.applyAsInt(files.get(f)); pos++) {
        work.add(new int[] {f, pos});
      }
    }
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int w = 0; w < workers; w++) {
      Path own = tmp.resolve("worker-" + w + "-" + System.nanoTime());
      MemoryStorage mine = image.copy(dir, own);
      mine.createDirectories(own);
      Thread t = new Thread(() -> {
        try {
          for (int i; (i = next.getAndIncrement()) < work.size() && problems.size() < 10;) {
            Path file = files.get(work.get(i)[0]);
            int pos = work.get(i)[1];
            MemoryStorage disk = mine.copy();
            Path ownFile = own.resolve(dir.relativize(file));
            disk.put(ownFile, damage.apply(file, pos));
            String problem = check.run(new Case(file, pos), disk, own);
            if (problem != null) {
              problems.add(file.getFileName() + " at " + pos + ": " + problem);
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new AssertionError("a worker failed", failures.get(0));
    }
    return new ArrayList<>(problems);
  }

  @Test
  void everyFlippedByteIsDetectedOrHarmless() throws Exception {
    int size = ReliabilityScale.pick(256 << 10, 1 << 20);
    image = build(size, true);
    Map<String, byte[]> expected = contentOf(image.copy(), dir, OPTIONS);
    assertTrue(sameContent(contentBefore(null, 0), expected), "the engine and the test read the segments alike");
    List<Path> files = image.paths();
    java.util.concurrent.atomic.LongAdder cases = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder atOpen = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder onRead = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder byVerify = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder harmless = new java.util.concurrent.atomic.LongAdder();
    List<String> problems = runCases(files, (file, off) -> {
      byte[] damaged = image.content(file);
      // A different non-zero change at each position, the same in every run.
      damaged[off] ^= (byte) (1 + Math.floorMod(off * 31 + file.hashCode(), 255));
      return damaged;
    }, file -> image.content(file).length, (c, disk, own) -> {
      cases.increment();
      int[] stage = {0};
      try {
        Map<String, byte[]> actual = contentOf(disk, own, VERIFYING, stage);
        if (!sameContent(expected, actual)) {
          return "read back different content: " + difference(expected, actual);
        }
        if (!verified(disk, own)) {
          byVerify.increment();
        } else {
          harmless.increment();
        }
        return null;
      } catch (StoreException e) {
        (stage[0] == 0 ? atOpen : onRead).increment();
        if (isSegment(c.file()) && !(e instanceof CorruptionException
            && c.file().getFileName().equals(((CorruptionException) e).file().getFileName()))) {
          return "a segment's damage gave " + e;
        }
        return null;
      }
    });
    long detected = atOpen.sum() + onRead.sum() + byVerify.sum();
    ReliabilityScale.record("byte flips", cases.sum() + " bytes flipped one at a time over " + files.size()
        + " files (" + size / 1024 + " KiB store): " + detected + " detected (" + atOpen.sum() + " at open, "
        + onRead.sum() + " by checksum-on-read, " + byVerify.sum() + " by verify), " + harmless.sum()
        + " harmless (every value read back exactly: padding, unused space, hint files rebuilt), "
        + problems.size() + " wrong or lost values");
    assertTrue(problems.isEmpty(), () -> problems.size() + " problems, first: " + problems);
    assertTrue(detected > cases.sum() / 10, "flips in data must be detected: " + detected + " of " + cases.sum());
  }

  @Test
  void everyCutOpensWithTheWholeRecordsBeforeItOrNamesTheFile() throws Exception {
    int size = ReliabilityScale.pick(256 << 10, 1 << 20);
    image = build(size, false);
    Map<String, byte[]> expected = contentOf(image.copy(), dir, OPTIONS);
    assertTrue(sameContent(contentBefore(null, 0), expected), "the engine and the test read the segments alike");
    List<Path> segments = segmentsOf(image);
    Path newest = segments.get(segments.size() - 1);
    java.util.concurrent.atomic.LongAdder cases = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder exact = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder refused = new java.util.concurrent.atomic.LongAdder();
    List<String> problems = runCases(image.paths(), (file, cut) -> Arrays.copyOf(image.content(file), cut),
        file -> image.content(file).length, (c, disk, own) -> {
          cases.increment();
          Path file = c.file();
          int cut = c.position();
          boolean segment = isSegment(file);
          boolean header = segment && cut > 0 && cut < SegmentFormat.HEADER_SIZE;
          Map<String, byte[]> want = segment ? contentBefore(file, cut) : expected;
          try {
            Map<String, byte[]> actual = contentOf(disk, own, OPTIONS);
            if (segment && !file.equals(newest)) {
              return "a cut sealed segment opened without salvage";
            } else if (header) {
              return "a cut header opened";
            } else if (!sameContent(want, actual)) {
              return difference(want, actual);
            }
            exact.increment();
            return null;
          } catch (CorruptionException e) {
            refused.increment();
            if (!segment || (file.equals(newest) && !header)
                || !file.getFileName().equals(e.file().getFileName())) {
              return "refused: " + e.getMessage();
            }
            try {
              Map<String, byte[]> salvaged = contentOf(disk, own, SALVAGE);
              if (!header && !sameContent(want, salvaged)) {
                return "salvage: " + difference(want, salvaged);
              }
            } catch (StoreException x) {
              return "salvage failed: " + x.getMessage();
            }
            return null;
          } catch (StoreException e) {
            refused.increment();
            if (segment || file.getFileName().toString().endsWith(".hint")) {
              return e.toString();
            }
            return null;
          }
        });
    ReliabilityScale.record("truncation", cases.sum() + " cuts (every offset of every file of a "
        + size / 1024 + " KiB store left by a crash): " + exact.sum() + " opened with exactly the whole records"
        + " before the cut, " + refused.sum() + " refused naming the file (cut sealed segments, headers, the"
        + " marker), every refused segment salvaged to exactly the records before the cut; " + problems.size()
        + " problems");
    assertTrue(problems.isEmpty(), () -> problems.size() + " problems, first: " + problems);
    assertTrue(exact.sum() > 0 && refused.sum() > 0, "both outcomes occur");
  }

  /**
   * The same on real files, through the production storage and real mappings: random flips, each
   * undone after its case, so that the in-memory model is not the only thing checked.
   */
  @Test
  void randomFlipsOnRealFilesAreDetectedOrHarmless() throws Exception {
    int flips = ReliabilityScale.pick(200, 5_000);
    Path real = tmp.resolve("real");
    java.nio.file.Files.createDirectories(real);
    image = build(256 << 10, true);
    for (Path p : image.paths()) {
      java.nio.file.Files.write(real.resolve(dir.relativize(p)), image.content(p));
    }
    Map<String, byte[]> expected = contentOf(real, OPTIONS);
    List<Path> files = new ArrayList<>();
    for (Path p : image.paths()) {
      files.add(real.resolve(dir.relativize(p)));
    }
    Random random = new Random(11);
    long detected = 0;
    long harmless = 0;
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < flips && problems.size() < 10; i++) {
      Path file = files.get(random.nextInt(files.size()));
      byte[] original = java.nio.file.Files.readAllBytes(file);
      int off = random.nextInt(original.length);
      byte[] damaged = original.clone();
      damaged[off] ^= (byte) (1 + random.nextInt(255));
      java.nio.file.Files.write(file, damaged);
      try {
        Map<String, byte[]> actual = contentOf(real, VERIFYING);
        if (!sameContent(expected, actual)) {
          problems.add(file.getFileName() + " byte " + off + ": " + difference(expected, actual));
        } else if (!Sett.verify(real).ok()) {
          detected++;
        } else {
          harmless++;
        }
      } catch (StoreException e) {
        detected++;
      } finally {
        // Put every file back as it was: the open may have repaired (and so rewritten) some.
        for (Path p : image.paths()) {
          java.nio.file.Files.write(real.resolve(dir.relativize(p)), image.content(p));
        }
        try (var listing = java.nio.file.Files.list(real)) {
          for (Path p : listing.toList()) {
            String name = p.getFileName().toString();
            if (!name.equals(StoreDirectory.LOCK) && !name.equals(ReaderRegistry.DIR)
                && !image.paths().contains(dir.resolve(name))) {
              java.nio.file.Files.delete(p);
            }
          }
        }
      }
    }
    StoreTestSupport.assertNothingMapped(real);
    ReliabilityScale.record("byte flips on real files", flips + " random flips through FileStorage and real"
        + " mappings: " + detected + " detected, " + harmless + " harmless, " + problems.size() + " wrong or lost values");
    assertTrue(problems.isEmpty(), () -> problems.toString());
    assertTrue(detected > 0, "some flips land in data");
  }

  private static Map<String, byte[]> contentOf(Path dir, StoreOptions options) {
    Map<String, byte[]> content = new LinkedHashMap<>();
    try (Store s = Sett.open(dir, options)) {
      readAll(s, content);
    }
    return content;
  }

  /**
   * What the store should hold if every record of {@code file} ending after {@code cut} were gone
   * (with the rest of its batch), worked out by reading the segments independently of the engine.
   */
  private Map<String, byte[]> contentBefore(Path file, int cut) {
    Map<Long, List<Object[]>> bySequence = new java.util.TreeMap<>();
    for (Path segment : segmentsOf(image)) {
      byte[] b = image.content(segment);
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      int off = SegmentFormat.HEADER_SIZE;
      while (off + SegmentFormat.RECORD_HEADER_SIZE <= b.length && b[off + 4] != 0) {
        int kl = buf.getShort(off + 6) & 0xffff;
        int vl = buf.getInt(off + 8);
        long sequence = buf.getLong(off + 16);
        int end = SegmentFormat.recordSize(kl, vl) + off;
        // The record is whole once its last byte is there; the zero padding after it does not count.
        int dataEnd = off + SegmentFormat.RECORD_HEADER_SIZE + kl + vl;
        String key = new String(b, off + 32, kl, StandardCharsets.UTF_8);
        byte[] value = b[off + 4] == SegmentFormat.TYPE_DELETE ? null : Arrays.copyOfRange(b, off + 32 + kl, off + 32 + kl + vl);
        boolean lost = segment.equals(file) && dataEnd > cut;
        bySequence.computeIfAbsent(sequence, x -> new ArrayList<>()).add(new Object[] {key, value, lost});
        off = end;
      }
    }
    Map<String, byte[]> content = new java.util.TreeMap<>();
    for (List<Object[]> write : bySequence.values()) {
      if (write.stream().anyMatch(r -> (Boolean) r[2])) {
        continue;
      }
      for (Object[] r : write) {
        if (r[1] == null) {
          content.remove((String) r[0]);
        } else {
          content.put((String) r[0], (byte[]) r[1]);
        }
      }
    }
    return content;
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static Map<String, byte[]> contentOf(MemoryStorage disk, Path dir, StoreOptions options) {
    return contentOf(disk, dir, options, new int[1]);
  }

  /** Everything the store holds, read by scan and by get; {@code stage[0]} is 1 once it opened. */
  private static Map<String, byte[]> contentOf(MemoryStorage disk, Path dir, StoreOptions options, int[] stage) {
    Map<String, byte[]> content = new LinkedHashMap<>();
    try (Store s = SettStore.open(disk, dir, options)) {
      stage[0] = 1;
      readAll(s, content);
    }
    return content;
  }

  private static void readAll(Store s, Map<String, byte[]> content) {
    try (Snapshot snap = s.snapshot(); Cursor c = snap.scan(KeyRange.all())) {
      while (c.next()) {
        content.put(new String(c.key().toByteArray(), StandardCharsets.UTF_8), c.value().toByteArray());
      }
      for (Map.Entry<String, byte[]> e : content.entrySet()) {
        if (!Arrays.equals(e.getValue(), s.get(bytes(e.getKey())))) {
          throw new AssertionError("scan and get disagree on " + e.getKey());
        }
      }
    }
  }

  private static boolean verified(MemoryStorage disk, Path dir) {
    try {
      return new Verifier(new SegmentFiles(disk, dir, true)).run().ok();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean sameContent(Map<String, byte[]> a, Map<String, byte[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, byte[]> e : a.entrySet()) {
      if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static String difference(Map<String, byte[]> want, Map<String, byte[]> got) {
    Map<String, String> d = new HashMap<>();
    for (String k : want.keySet()) {
      if (!got.containsKey(k)) {
        d.put(k, "missing");
      } else if (!Arrays.equals(want.get(k), got.get(k))) {
        d.put(k, "wrong value");
      }
    }
    for (String k : got.keySet()) {
      if (!want.containsKey(k)) {
        d.put(k, "unexpected");
      }
    }
    return d.toString();
  }

  private static List<Path> segmentsOf(MemoryStorage storage) {
    List<Path> s = new ArrayList<>();
    for (Path p : storage.paths()) {
      if (isSegment(p)) {
        s.add(p);
      }
    }
    s.sort(null);
    return s;
  }

  private static boolean isSegment(Path p) {
    return p.getFileName().toString().endsWith(SegmentFormat.SEGMENT_SUFFIX);
  }

  private static int dataEnd(MemoryStorage storage, Path segment) {
    byte[] b = storage.content(segment);
    int end = b.length;
    while (end > 0 && b[end - 1] == 0) {
      end--;
    }
    return end;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
