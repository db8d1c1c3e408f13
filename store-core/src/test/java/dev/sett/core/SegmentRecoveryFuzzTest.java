package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sett.api.CorruptionException;
import dev.sett.api.StoreException;
import dev.sett.api.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of recovery ({@link Recovery}, {@link SegmentScan}, hint loading) on the
 * sample store's files mutated by the input (see {@link FuzzSupport} for the input format), in
 * memory ({@link MemoryStorage}) so that it runs thousands of times a second.
 *
 * <p>Passes when recovery either throws a {@link StoreException} (a {@link CorruptionException}
 * names a file of the store and an offset in it) or builds an index in which every position lies
 * inside its segment's data and, for segments recovery scanned, is a whole record of a key with the
 * slot's hash and a matching CRC32C; and when a second recovery of what the first one left finds
 * the same index. Records a hint lists are not read at open, by design (that is what hints are
 * for): damage to them is for {@code verify} and checksum-on-read to find, which
 * {@link StoreOpenFuzzTest} checks.
 */
@Tag("reliability")
class SegmentRecoveryFuzzTest {
  private static final FuzzFigures FIGURES = new FuzzFigures("fuzzing: segment recovery");
  private static final Path DIR = Path.of("/heap-store");

  @FuzzTest(maxDuration = "30s")
  void recoveryOfMutatedFilesFailsCleanlyOrIndexesOnlySoundRecords(byte[] input) throws IOException {
    FIGURES.count();
    int flags = input.length == 0 ? 0 : input[0] & 0xFF;
    Map<String, byte[]> files = FuzzSupport.sampleStore();
    FuzzSupport.mutate(files, input);
    MemoryStorage storage = new MemoryStorage();
    files.forEach((name, bytes) -> storage.put(DIR.resolve(name), bytes));
    StoreOptions options = FuzzSupport.options(flags);

    Set<Integer> hinted = new HashSet<>();
    for (String name : files.keySet()) {
      int id = SegmentFormat.idOf(name, SegmentFormat.HINT_SUFFIX);
      if (id > 0) {
        hinted.add(id);
      }
    }
    List<Long> first;
    try {
      first = recover(storage, options, hinted);
    } catch (CorruptionException e) {
      assertNotNull(e.file());
      assertTrue(storage.exists(e.file()), "names a file of the store: " + e.file());
      assertTrue(e.offset() >= 0 && e.offset() <= storage.size(e.file()), "offset " + e.offset());
      return;
    } catch (StoreException e) {
      return;
    } catch (IOException e) {
      // Only a full disk is a clean failure here (an open reports it as StorageException): a header
      // can claim a segment larger than the in-memory disk holds, whose missing end recovery writes.
      assertTrue(StorageErrors.isDiskFull(e), () -> "unexpected I/O error: " + e);
      return;
    }
    if (!options.readOnly()) {
      // The first recovery may have rebuilt hints: those it wrote list only records it checked.
      hinted.clear();
      for (String name : storage.list(DIR)) {
        int id = SegmentFormat.idOf(name, SegmentFormat.HINT_SUFFIX);
        // (Null checked first: Jazzer's hook on Arrays.equals crashes the JVM on a null array.)
        byte[] now = storage.content(DIR.resolve(name));
        byte[] given = files.get(name);
        if (id > 0 && now != null && given != null && Arrays.equals(now, given)) {
          hinted.add(id);
        }
      }
    }
    List<Long> second = recover(storage, options, hinted);
    assertEquals(first, second, "a second recovery finds what the first one did");
  }

  /** Runs recovery, checks the index it built, and returns its positions, sorted. */
  private static List<Long> recover(MemoryStorage storage, StoreOptions options, Set<Integer> hinted) throws IOException {
    SegmentTable table = new SegmentTable();
    KeyIndex index = new KeyIndex(table, 16);
    new Recovery(new SegmentFiles(storage, DIR, options.readOnly()), options, table, index, Segment::unmap).run();
    HashIndex.Table t = index.hash().table();
    List<Long> positions = new ArrayList<>();
    for (int i = 0; i < t.capacity(); i++) {
      long p = t.position(i);
      if (p == HashIndex.EMPTY || p == HashIndex.DELETED) {
        continue;
      }
      positions.add(p);
      Segment s = table.get(Position.segment(p));
      assertNotNull(s, "position " + Long.toHexString(p) + " names a segment that is not open");
      int off = Position.offset(p);
      assertTrue(off >= SegmentFormat.HEADER_SIZE && off + SegmentFormat.RECORD_HEADER_SIZE <= s.end(),
          "offset " + off + " of segment " + s + " is outside its data");
      if (hinted.contains(s.id())) {
        continue;
      }
      int kl = s.keyLength(off);
      int vl = s.valueLength(off);
      assertTrue(kl > 0 && vl >= 0 && (long) off + SegmentFormat.RECORD_HEADER_SIZE + kl + vl <= s.end(),
          "record at " + off + " of segment " + s + " runs past its data");
      assertEquals(KeyHash.hash(s.copyKey(off)), t.hash(i), "slot hash of the key at " + off);
      assertTrue(s.crcMatches(off), "indexed record at " + off + " of segment " + s.id() + " has a bad CRC");
    }
    for (Segment s : table.all()) {
      s.retire(false);
    }
    Collections.sort(positions);
    return positions;
  }

  @AfterAll
  static void recordFigures() {
    FIGURES.record();
  }
}
