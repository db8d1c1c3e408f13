package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import dev.sett.api.StoreException;
import dev.sett.api.StoreOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of a whole-store open through the public API ({@link Sett#open}, real
 * files, real mappings) on the sample store's files mutated by the input (format: see
 * {@link FuzzSupport}). Files go to {@code /dev/shm} when there is one, where a force costs nothing.
 *
 * <p>Passes when open either throws a {@link StoreException} and leaves nothing mapped, or opens a
 * store in which reads throw nothing but {@link StoreException}s and every key a snapshot lists has
 * the value {@link Store#get} returns, and that value is the value of a whole, CRC-valid put record
 * of that key in the files as they were given: never another key's bytes, never bytes from a torn
 * or damaged record. One exception, by design: records a hint file lists are not read at open, so
 * without checksum-on-read ({@code verifyChecksums}) damage done to them after they were written
 * can reach a reader (finding it is {@code verify}'s job); their bytes must still come from inside
 * that segment file. A store opened for writing must also take a write and reopen with it.
 */
@Tag("reliability")
class StoreOpenFuzzTest {
  private static final FuzzFigures FIGURES = new FuzzFigures("fuzzing: whole-store open");
  private static final byte[] PROBE_KEY = StoreTestSupport.b("fuzz-probe");
  private static final byte[] PROBE_VALUE = StoreTestSupport.b("written after a fuzzed open");

  @FuzzTest(maxDuration = "30s")
  void openOfMutatedFilesFailsCleanlyOrServesOnlyStoredValues(byte[] input) throws Exception {
    FIGURES.count();
    int flags = input.length == 0 ? 0 : input[0] & 0xFF;
    Map<String, byte[]> files = FuzzSupport.sampleStore();
    FuzzSupport.mutate(files, input);
    Set<String> stored = soundPuts(files);
    StoreOptions options = FuzzSupport.options(flags);
    Path root = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
    Path dir = Files.createTempDirectory(root, "sett-fuzz-open");
    try {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        Files.write(dir.resolve(f.getKey()), f.getValue());
      }
      Store store;
      try {
        store = Sett.open(dir, options);
      } catch (StoreException e) {
        ChronicleSupport.releasePending();
        assertEquals(0, StoreTestSupport.mappingsUnder(dir).size(), "a failed open leaves nothing mapped");
        return;
      }
      try {
        checkValues(store, stored, options.verifyChecksums() ? List.of() : hintedSegments(files));
        if (!options.readOnly()) {
          store.put(PROBE_KEY, PROBE_VALUE);
        }
      } finally {
        store.close();
      }
      if (!options.readOnly()) {
        try (Store again = Sett.open(dir, options)) {
          assertArrayEquals(PROBE_VALUE, again.get(PROBE_KEY), "a write made after a fuzzed open survives a reopen");
        }
      }
    } finally {
      FuzzSupport.deleteTree(dir);
    }
  }

  private static void checkValues(Store store, Set<String> stored, List<byte[]> unchecked) {
    try (Snapshot snap = store.snapshot(); Cursor c = snap.scan(KeyRange.all())) {
      while (c.next()) {
        byte[] key = c.key().toByteArray();
        byte[] value = c.value().toByteArray();
        assertTrue(stored.contains(entry(key, value)) || unchecked.stream().anyMatch(seg -> contains(seg, value)),
            "key " + HexFormat.of().formatHex(key) + " read back a value that no sound put record of it holds");
        assertArrayEquals(value, store.get(key), "get and a snapshot scan agree");
      }
    } catch (StoreException e) {
      // Declared: checksum-on-read found damage, or the like.
      return;
    }
  }

  /** The segment files that have a hint file: their records are not read at open. */
  private static List<byte[]> hintedSegments(Map<String, byte[]> files) {
    List<byte[]> out = new ArrayList<>();
    files.forEach((name, content) -> {
      int id = SegmentFormat.idOf(name, SegmentFormat.SEGMENT_SUFFIX);
      if (id > 0 && files.containsKey(SegmentFormat.hintFileName(id))) {
        out.add(content);
      }
    });
    return out;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Every (key, value) of a whole put record with a valid CRC32C at an 8-byte boundary of any segment file. */
  private static Set<String> soundPuts(Map<String, byte[]> files) {
    Set<String> out = new HashSet<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      if (!f.getKey().endsWith(SegmentFormat.SEGMENT_SUFFIX)) {
        continue;
      }
      byte[] seg = f.getValue();
      ByteBuffer b = ByteBuffer.wrap(seg).order(ByteOrder.LITTLE_ENDIAN);
      for (int off = SegmentFormat.HEADER_SIZE; off + SegmentFormat.RECORD_HEADER_SIZE <= seg.length; off += 8) {
        if (seg[off + SegmentFormat.R_TYPE] == SegmentFormat.TYPE_PUT && FuzzSupport.soundRecordAt(seg, seg.length, off)) {
          int kl = b.getShort(off + SegmentFormat.R_KEY_LENGTH) & 0xFFFF;
          int vl = b.getInt(off + SegmentFormat.R_VALUE_LENGTH);
          int k = off + SegmentFormat.R_KEY;
          out.add(entry(Arrays.copyOfRange(seg, k, k + kl), Arrays.copyOfRange(seg, k + kl, k + kl + vl)));
        }
      }
    }
    return out;
  }

  private static String entry(byte[] key, byte[] value) {
    return HexFormat.of().formatHex(key) + "=" + HexFormat.of().formatHex(value);
  }

  @AfterAll
  static void recordFigures() {
    FIGURES.record();
  }
}
