package dev.sett.core;

import dev.sett.api.RecordInfo;
import dev.sett.api.SegmentDump;
import dev.sett.api.SegmentVisitor;
import dev.sett.api.StoreOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * {@code Sett.dumpSegment}: reports the header and every record of one segment file, with the
 * damage found between them. Maps the file read-only and takes no lock, so it can look at a segment
 * of a store another process has open; it never writes a byte. A record being appended while the
 * dump runs shows up as the end marker or as a damaged tail.
 *
 * <p>Single-threaded (one call, one thread).
 */
final class SegmentDumper implements SegmentWalk.Listener {
  private final SegmentVisitor visitor;
  private final int maxValueBytes;
  private long records;
  private long badChecksums;
  private int damages;
  private int uncommitted;
  private int end;
  private boolean endMarker;

  private SegmentDumper(SegmentVisitor visitor, int maxValueBytes) {
    this.visitor = visitor;
    this.maxValueBytes = maxValueBytes;
  }

  static SegmentDump dump(Storage storage, Path file, int maxValueBytes, SegmentVisitor visitor)
      throws IOException {
    long fileSize = storage.size(file);
    if (fileSize < SegmentFormat.HEADER_SIZE) {
      return new SegmentDump(file, fileSize, "the file is " + fileSize + " bytes, shorter than the "
          + SegmentFormat.HEADER_SIZE + "-byte segment header", 0, 0, 0, 0, 0, 0, 0, 0, 0,
          SegmentDump.Ending.FILE_TOO_SHORT);
    }
    ByteBuffer raw = ByteBuffer.allocate(SegmentFormat.HEADER_SIZE);
    raw.put(storage.read(file, 0, SegmentFormat.HEADER_SIZE)).clear();
    SegmentHeader.Problem problem = SegmentHeader.check(raw);
    SegmentHeader header = problem == null ? SegmentHeader.decode(raw) : null;
    String headerProblem = headerProblem(problem, raw, header, file);
    if (problem == SegmentHeader.Problem.FUTURE_VERSION) {
      return new SegmentDump(file, fileSize, headerProblem, SegmentHeader.versionOf(raw), 0, 0, 0, 0, 0, 0, 0,
          0, SegmentDump.Ending.DAMAGED_TAIL);
    }
    long limit = header != null && header.size() >= SegmentFormat.HEADER_SIZE ? Math.min(fileSize, header.size())
        : fileSize;
    int mapSize = (int) (Math.min(limit, StoreOptions.MAX_SEGMENT_SIZE) & ~7L);
    SegmentDumper d = new SegmentDumper(visitor, Math.max(0, maxValueBytes));
    Segment segment = new Segment(header == null ? 0 : header.id(), file, storage.map(file, mapSize, true),
        SegmentFormat.HEADER_SIZE, Segment::unmap);
    try {
      SegmentWalk.walk(segment, mapSize, d);
    } finally {
      segment.retire(false);
    }
    boolean shortFile = header != null && fileSize < header.size();
    SegmentDump.Ending ending = d.endMarker ? SegmentDump.Ending.END_MARKER
        : shortFile ? SegmentDump.Ending.FILE_TOO_SHORT : SegmentDump.Ending.DAMAGED_TAIL;
    return new SegmentDump(file, fileSize, headerProblem, header == null ? 0 : header.version(),
        header == null ? 0 : header.id(), header == null ? 0 : header.size(),
        header == null ? 0 : header.createdMillis(), d.records, d.badChecksums, d.damages, d.uncommitted, d.end,
        ending);
  }

  private static String headerProblem(SegmentHeader.Problem problem, ByteBuffer raw, SegmentHeader header,
      Path file) {
    if (problem != null) {
      switch (problem) {
        case ALL_ZERO:
          return "the header is all zeros (a segment whose creation was interrupted, or a wiped header)";
        case BAD_MAGIC:
          return "the file does not start with the segment magic SETTSEG: not a Sett segment, or a damaged header";
        case BAD_CRC:
          return "the header's checksum does not match (damaged header)";
        default:
          return "format version " + SegmentHeader.versionOf(raw) + " is newer than this Sett reads ("
              + SegmentFormat.VERSION + ")";
      }
    }
    int nameId = SegmentFormat.idOf(String.valueOf(file.getFileName()), SegmentFormat.SEGMENT_SUFFIX);
    if (nameId > 0 && nameId != header.id()) {
      return "the header names segment " + header.id() + " but the file name says " + nameId;
    }
    return null;
  }

  @Override
  public void record(Segment s, int off, boolean crcOk) {
    records++;
    if (!crcOk) {
      badChecksums++;
    }
    byte flags = s.flags(off);
    boolean commit = (flags & SegmentFormat.FLAG_COMMIT) != 0;
    uncommitted = commit ? 0 : uncommitted + 1;
    int vl = s.valueLength(off);
    byte[] value = new byte[Math.min(vl, maxValueBytes)];
    s.region().read(s.valueOffset(off), value, 0, value.length);
    visitor.record(new RecordInfo(off, s.sequence(off),
        s.type(off) == SegmentFormat.TYPE_PUT ? RecordInfo.Type.PUT : RecordInfo.Type.DELETE, commit,
        s.keyLength(off), vl, s.storedCrc(off), crcOk, s.copyKey(off), value, instant(s.expiresAt(off))));
  }

  static java.time.Instant instant(long expiresAt) {
    return expiresAt == SegmentFormat.NEVER ? null : java.time.Instant.ofEpochMilli(expiresAt);
  }

  @Override
  public void damaged(int offset, int resumesAt, int garbageEnd, String problem) {
    damages++;
    uncommitted = 0;
    visitor.damaged(offset, resumesAt, problem);
  }

  @Override
  public void end(int offset, boolean atEndMarker) {
    this.end = offset;
    this.endMarker = atEndMarker;
  }
}
