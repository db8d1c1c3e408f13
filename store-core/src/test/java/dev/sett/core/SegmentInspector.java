package dev.sett.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Test helper: finds record offsets in a closed segment file and damages files on purpose. */
final class SegmentInspector {
  private SegmentInspector() {
  }

  /** Offsets of the sound records of a segment file, in order. */
  static List<Integer> recordOffsets(Path segmentFile) throws IOException {
    int size = (int) Files.size(segmentFile);
    MappedRegion region = ChronicleRegion.map(segmentFile, size, true);
    Segment seg = new Segment(0, segmentFile, region, SegmentFormat.HEADER_SIZE, Segment::unmap);
    try {
      List<Integer> out = new ArrayList<>();
      RecordScanner scanner = new RecordScanner(seg, SegmentFormat.HEADER_SIZE, size);
      while (scanner.next()) {
        out.add(scanner.offset());
      }
      return out;
    } finally {
      seg.retire(false);
    }
  }

  /** Offset just past the last sound record. */
  static int dataEnd(Path segmentFile) throws IOException {
    List<Integer> offsets = recordOffsets(segmentFile);
    if (offsets.isEmpty()) {
      return SegmentFormat.HEADER_SIZE;
    }
    int last = offsets.get(offsets.size() - 1);
    ByteBuffer h = read(segmentFile, last, SegmentFormat.RECORD_HEADER_SIZE);
    int kl = h.getShort(SegmentFormat.R_KEY_LENGTH) & 0xFFFF;
    int vl = h.getInt(SegmentFormat.R_VALUE_LENGTH);
    return last + SegmentFormat.recordSize(kl, vl);
  }

  static ByteBuffer read(Path file, long offset, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.read(b, offset);
    }
    return b.flip();
  }

  static void write(Path file, long offset, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), offset);
    }
  }

  /** Inverts the bits of one byte. */
  static void flip(Path file, long offset) throws IOException {
    byte b = read(file, offset, 1).get(0);
    write(file, offset, new byte[] {(byte) ~b});
  }

  static byte[] bytes(Path file) throws IOException {
    return Files.readAllBytes(file);
  }
}
