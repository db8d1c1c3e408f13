package dev.sett.core;

import dev.sett.api.Store;
import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import dev.sett.api.WriteBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * What the fuzz targets share: a small valid store to mutate, the little program language that the
 * fuzzer's bytes are read as, and the CRC repairs that let mutated data get past the checksums.
 *
 * <h2>Input format of the store-level targets</h2>
 * Byte 0 holds option bits ({@link #SALVAGE}, {@link #READ_ONLY}, {@link #VERIFY_CHECKSUMS}) and
 * repair bits ({@link #FIX_RECORDS}, {@link #FIX_HINTS}, {@link #FIX_HEADERS}). Then come 5-byte
 * edits, {@code file, op, offset (u16 LE), value}, applied in order to the sample store's files
 * (sorted by name): xor a byte, set a byte, set a little-endian int to an "interesting" value,
 * truncate, delete, replace by a copy of another file, zero an 8-byte word. The repairs run last:
 * without them almost every edit is caught by a CRC32C, and the fuzzer would never reach the code
 * behind the checksums (the engine must still cope: a CRC-valid lie models a writer bug).
 */
final class FuzzSupport {
  static final int SALVAGE = 1;
  static final int READ_ONLY = 2;
  static final int VERIFY_CHECKSUMS = 4;
  static final int FIX_RECORDS = 8;
  static final int FIX_HINTS = 16;
  static final int FIX_HEADERS = 32;

  /** A creation time written into every sample segment and hint, so the sample is the same every run. */
  static final long CREATED = 1_700_000_000_000L;
  static final int SEGMENT_SIZE = StoreOptions.MIN_SEGMENT_SIZE;
  private static final int[] INTERESTING = {0, 1, -1, 2, 7, 8, 31, 32, 63, 64, 65535, 65536,
      Integer.MAX_VALUE, Integer.MIN_VALUE, SEGMENT_SIZE - 8, 1 << 30};

  private static Map<String, byte[]> sample;

  private FuzzSupport() {
  }

  static StoreOptions options(int flags) {
    return StoreOptions.builder()
        .segmentSize(SEGMENT_SIZE)
        .syncMode(SyncMode.NONE)
        .autoCompaction(false)
        .salvage((flags & SALVAGE) != 0)
        .readOnly((flags & READ_ONLY) != 0)
        .verifyChecksums((flags & VERIFY_CHECKSUMS) != 0)
        .build();
  }

  /**
   * The files of a small valid store (name to content; fresh copies): three segments of 64 KiB, the
   * first two sealed with hints, the newest with the hint written on close; overwrites, deletes
   * and a batch. Built once with the engine itself, then given a fixed creation time.
   */
  static synchronized Map<String, byte[]> sampleStore() {
    if (sample == null) {
      sample = buildSample();
    }
    Map<String, byte[]> copy = new TreeMap<>();
    sample.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  private static Map<String, byte[]> buildSample() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("sett-fuzz-sample");
      try (Store s = Sett.open(dir, options(0))) {
        for (int i = 0; i < 90; i++) {
          byte[] value = new byte[1500 + i];
          Arrays.fill(value, (byte) i);
          s.put(StoreTestSupport.b("key" + i), value);
        }
        for (int i = 0; i < 90; i += 7) {
          s.delete(StoreTestSupport.b("key" + i));
        }
        for (int i = 1; i < 90; i += 11) {
          s.put(StoreTestSupport.b("key" + i), StoreTestSupport.b("second version of key" + i));
        }
        WriteBatch batch = new WriteBatch();
        batch.put(StoreTestSupport.b("batch-a"), StoreTestSupport.b("A"));
        batch.put(StoreTestSupport.b("batch-b"), StoreTestSupport.b("B"));
        batch.delete(StoreTestSupport.b("key3"));
        s.write(batch);
        s.put(StoreTestSupport.b("last"), StoreTestSupport.b("the newest record"));
      }
      Map<String, byte[]> files = new TreeMap<>();
      try (Stream<Path> list = Files.list(dir)) {
        for (Path p : (Iterable<Path>) list::iterator) {
          String name = p.getFileName().toString();
          if (!name.equals(StoreDirectory.LOCK) && !name.equals(ReaderRegistry.DIR)) {
            files.put(name, Files.readAllBytes(p));
          }
        }
      }
      normaliseCreationTimes(files);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (dir != null) {
        deleteTree(dir);
      }
    }
  }

  private static void normaliseCreationTimes(Map<String, byte[]> files) {
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      int id = SegmentFormat.idOf(f.getKey(), SegmentFormat.SEGMENT_SUFFIX);
      if (id <= 0) {
        continue;
      }
      byte[] seg = f.getValue();
      ByteBuffer raw = ByteBuffer.wrap(seg, 0, SegmentFormat.HEADER_SIZE);
      SegmentHeader h = SegmentHeader.decode(raw);
      ByteBuffer fixed = new SegmentHeader(h.version(), h.id(), h.size(), CREATED).encode();
      fixed.get(0, seg, 0, SegmentFormat.HEADER_SIZE);
      String hintName = SegmentFormat.hintFileName(id);
      byte[] hint = files.get(hintName);
      if (hint != null) {
        String[] why = new String[1];
        HintFile.Contents c = HintFile.decode(hint, id, h.createdMillis(), h.size(), why);
        if (c == null) {
          throw new IllegalStateException("the sample store's hint " + hintName + " is damaged: " + why[0]);
        }
        files.put(hintName, HintFile.encode(id, CREATED, c.dataEnd(), c.entries()));
      }
    }
  }

  /** Applies the edits in {@code input} (after its flag byte) and then the repairs it asks for. */
  static void mutate(Map<String, byte[]> files, byte[] input) {
    int flags = input.length == 0 ? 0 : input[0] & 0xFF;
    for (int i = 1; i + 5 <= input.length; i += 5) {
      List<String> names = new ArrayList<>(files.keySet());
      if (names.isEmpty()) {
        break;
      }
      String name = names.get((input[i] & 0xFF) % names.size());
      byte[] f = files.get(name);
      int op = (input[i + 1] & 0xFF) % 7;
      int off = (input[i + 2] & 0xFF) | (input[i + 3] & 0xFF) << 8;
      int val = input[i + 4] & 0xFF;
      switch (op) {
        case 0 -> {
          if (off < f.length) {
            f[off] ^= (byte) val;
          }
        }
        case 1 -> {
          if (off < f.length) {
            f[off] = (byte) val;
          }
        }
        case 2 -> {
          if (off + 4 <= f.length) {
            ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(off, val < 16 ? INTERESTING[val] : (val - 16) * 8);
          }
        }
        case 3 -> {
          if (off < f.length) {
            files.put(name, Arrays.copyOf(f, off));
          }
        }
        case 4 -> files.remove(name);
        case 5 -> files.put(name, files.get(names.get(val % names.size())).clone());
        default -> {
          int o = off & ~7;
          if (o + 8 <= f.length) {
            Arrays.fill(f, o, o + 8, (byte) 0);
          }
        }
      }
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      boolean segment = f.getKey().endsWith(SegmentFormat.SEGMENT_SUFFIX);
      if (segment && (flags & FIX_HEADERS) != 0) {
        fixHeaderCrc(f.getValue());
      }
      if (segment && (flags & FIX_RECORDS) != 0) {
        fixRecordCrcs(f.getValue(), SegmentFormat.HEADER_SIZE);
      }
      if (f.getKey().endsWith(SegmentFormat.HINT_SUFFIX) && (flags & FIX_HINTS) != 0) {
        fixTrailingCrc(f.getValue());
      }
    }
  }

  static void fixHeaderCrc(byte[] seg) {
    if (seg.length >= SegmentFormat.HEADER_SIZE) {
      CRC32C crc = new CRC32C();
      crc.update(seg, 0, SegmentFormat.H_CRC);
      ByteBuffer.wrap(seg).order(ByteOrder.LITTLE_ENDIAN).putInt(SegmentFormat.H_CRC, (int) crc.getValue());
    }
  }

  static void fixTrailingCrc(byte[] file) {
    if (file.length >= 4) {
      CRC32C crc = new CRC32C();
      crc.update(file, 0, file.length - 4);
      ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(file.length - 4, (int) crc.getValue());
    }
  }

  /**
   * Walks the records from {@code from} as the scanner frames them, giving each one whose lengths
   * fit a correct CRC32C; stops at the first that does not fit.
   */
  static void fixRecordCrcs(byte[] seg, int from) {
    ByteBuffer b = ByteBuffer.wrap(seg).order(ByteOrder.LITTLE_ENDIAN);
    for (int off = from; off + SegmentFormat.RECORD_HEADER_SIZE <= seg.length;) {
      int kl = b.getShort(off + SegmentFormat.R_KEY_LENGTH) & 0xFFFF;
      int vl = b.getInt(off + SegmentFormat.R_VALUE_LENGTH);
      byte type = seg[off + SegmentFormat.R_TYPE];
      if (type == 0 || kl == 0 || vl < 0 || (long) off + SegmentFormat.RECORD_HEADER_SIZE + kl + vl > seg.length) {
        return;
      }
      CRC32C crc = new CRC32C();
      crc.update(seg, off + 4, SegmentFormat.RECORD_HEADER_SIZE - 4 + kl + vl);
      b.putInt(off + SegmentFormat.R_CRC, (int) crc.getValue());
      off += SegmentFormat.recordSize(kl, vl);
    }
  }

  /** Whether {@code seg} holds, at {@code off}, a whole record whose stored CRC32C matches its bytes. */
  static boolean soundRecordAt(byte[] seg, int limit, long off) {
    if (off < SegmentFormat.HEADER_SIZE || (off & 7) != 0 || off + SegmentFormat.RECORD_HEADER_SIZE > limit) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(seg).order(ByteOrder.LITTLE_ENDIAN);
    int o = (int) off;
    int kl = b.getShort(o + SegmentFormat.R_KEY_LENGTH) & 0xFFFF;
    int vl = b.getInt(o + SegmentFormat.R_VALUE_LENGTH);
    if (kl == 0 || vl < 0 || (long) o + SegmentFormat.RECORD_HEADER_SIZE + kl + vl > limit) {
      return false;
    }
    CRC32C crc = new CRC32C();
    crc.update(seg, o + 4, SegmentFormat.RECORD_HEADER_SIZE - 4 + kl + vl);
    return (int) crc.getValue() == b.getInt(o + SegmentFormat.R_CRC);
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
