package dev.sett.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the seed corpora of the fuzz targets under {@code src/test/resources} (where Jazzer's
 * regression mode replays them in every {@code mvn verify}). Run it after a format change:
 * {@code java -cp <test classpath> dev.sett.core.FuzzSeeds store-core/src/test/resources}. Inputs
 * the fuzzer found (crashes kept as regression seeds) sit next to these and are not rewritten.
 */
final class FuzzSeeds {
  private FuzzSeeds() {
  }

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]).resolve("dev/sett/core");
    byte[] segment = smallSegment();
    int dataEnd = SegmentScan.of(new Segment(1, Path.of("seed.seg"), new HeapRegion(segment, segment.length),
        SegmentFormat.HEADER_SIZE, Segment::unmap), segment.length).committedEnd;
    byte[] data = java.util.Arrays.copyOfRange(segment, SegmentFormat.HEADER_SIZE, dataEnd);

    Path records = root.resolve("RecordDecodingFuzzTestInputs/scanningArbitraryBytesReturnsOnlySoundRecords");
    write(records, "seed-small-segment", 0, data);
    write(records, "seed-small-segment-crc-repaired", 1, data);
    byte[] torn = java.util.Arrays.copyOf(data, data.length + 24);
    torn[data.length] = SegmentFormat.TYPE_PUT;
    torn[data.length + 6] = 3;
    write(records, "seed-torn-tail", 0, torn);

    Path hints = root.resolve("HintParsingFuzzTestInputs/anyHintDecodesToSoundEntriesOrIsRefused");
    Segment seg = new Segment(1, Path.of("seed.seg"), new HeapRegion(segment, segment.length),
        SegmentFormat.HEADER_SIZE, Segment::unmap);
    SegmentScan scan = SegmentScan.of(seg, segment.length);
    write(hints, "seed-small-hint", 0, HintFile.encode(1, FuzzSupport.CREATED, scan.committedEnd, scan.entries));
    write(hints, "seed-small-hint-crc-repaired", 1, HintFile.encode(1, FuzzSupport.CREATED, scan.committedEnd, scan.entries));
    Map<String, byte[]> sample = FuzzSupport.sampleStore();
    write(hints, "seed-sample-store-hint-1", 0, sample.get(SegmentFormat.hintFileName(1)));

    List<String> names = new ArrayList<>(sample.keySet());
    int newest = names.indexOf(SegmentFormat.segmentFileName(3));
    int firstHint = names.indexOf(SegmentFormat.hintFileName(1));
    int firstSegment = names.indexOf(SegmentFormat.segmentFileName(1));
    int marker = names.indexOf(StoreDirectory.MARKER);
    for (String target : List.of("SegmentRecoveryFuzzTestInputs/recoveryOfMutatedFilesFailsCleanlyOrIndexesOnlySoundRecords",
        "StoreOpenFuzzTestInputs/openOfMutatedFilesFailsCleanlyOrServesOnlyStoredValues")) {
      Path dir = root.resolve(target);
      write(dir, "seed-unchanged", 0, new byte[0]);
      write(dir, "seed-read-only", FuzzSupport.READ_ONLY, new byte[0]);
      write(dir, "seed-verify-checksums", FuzzSupport.VERIFY_CHECKSUMS, new byte[0]);
      // A flipped byte in the newest segment's first record; with the hint gone it is scanned.
      write(dir, "seed-flip-newest", 0, edit(newest, 0, 100, 0x40), edit(names.indexOf(SegmentFormat.hintFileName(3)), 4, 0, 0));
      // A flipped value byte in a sealed segment whose hint is gone: corruption, or salvage.
      write(dir, "seed-flip-sealed", 0, edit(firstHint, 4, 0, 0), edit(firstSegment, 0, 200, 1));
      write(dir, "seed-flip-sealed-salvage", FuzzSupport.SALVAGE, edit(firstHint, 4, 0, 0), edit(firstSegment, 0, 200, 1));
      // A forged length with a repaired CRC: framing checks, not the checksum, must catch it.
      write(dir, "seed-forged-length", FuzzSupport.FIX_RECORDS, edit(firstHint, 4, 0, 0),
          edit(firstSegment, 2, SegmentFormat.HEADER_SIZE + SegmentFormat.R_VALUE_LENGTH, 12));
      write(dir, "seed-truncated-newest", 0, edit(newest, 3, 3000, 0));
      write(dir, "seed-header-repaired", FuzzSupport.FIX_HEADERS, edit(firstSegment, 2, SegmentFormat.H_SIZE, 9));
      write(dir, "seed-hint-repaired", FuzzSupport.FIX_HINTS, edit(firstHint, 2, 40, 20));
      write(dir, "seed-hint-of-another-segment", 0, edit(firstHint, 5, 0, names.indexOf(SegmentFormat.hintFileName(2))));
      write(dir, "seed-marker-damaged", 0, edit(marker, 1, 30, '9'));
    }
  }

  /** A 4 KiB segment: puts, an overwrite, a delete, a committed batch and an unfinished one. */
  static byte[] smallSegment() {
    byte[] bytes = new byte[4096];
    new SegmentHeader(SegmentFormat.VERSION, 1, bytes.length, FuzzSupport.CREATED).encode().get(0, bytes, 0,
        SegmentFormat.HEADER_SIZE);
    Segment s = new Segment(1, Path.of("seed.seg"), new HeapRegion(bytes, bytes.length), SegmentFormat.HEADER_SIZE, Segment::unmap);
    byte c = SegmentFormat.FLAG_COMMIT;
    int a = s.append(SegmentFormat.TYPE_PUT, c, StoreTestSupport.b("alpha"), StoreTestSupport.b("first"), 1, 0);
    s.append(SegmentFormat.TYPE_PUT, c, StoreTestSupport.b("beta"), StoreTestSupport.b("a longer value of beta"), 2, 0);
    s.append(SegmentFormat.TYPE_PUT, c, StoreTestSupport.b("alpha"), StoreTestSupport.b("second"), 3, Position.of(1, a));
    s.append(SegmentFormat.TYPE_DELETE, c, StoreTestSupport.b("beta"), null, 4, 0);
    s.append(SegmentFormat.TYPE_PUT, (byte) 0, StoreTestSupport.b("gamma"), StoreTestSupport.b("g"), 5, 0);
    s.append(SegmentFormat.TYPE_PUT, c, StoreTestSupport.b("delta"), new byte[0], 5, 0);
    s.append(SegmentFormat.TYPE_PUT, (byte) 0, StoreTestSupport.b("unfinished"), StoreTestSupport.b("batch"), 6, 0);
    return bytes;
  }

  private static byte[] edit(int file, int op, int offset, int value) {
    return new byte[] {(byte) file, (byte) op, (byte) offset, (byte) (offset >>> 8), (byte) value};
  }

  private static void write(Path dir, String name, int flags, byte[]... parts) throws IOException {
    Files.createDirectories(dir);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(flags);
    for (byte[] p : parts) {
      out.write(p);
    }
    Files.write(dir.resolve(name), out.toByteArray());
  }
}
