package dev.sett.core;

import dev.sett.api.VerifyReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a closed store without changing a byte: every record of every segment (framing and
 * CRC32C, hints or not), and every hint file against the records it describes. Opens nothing for
 * writing; the caller holds the directory's shared (read-only) lock.
 *
 * <p>Single-threaded.
 */
final class Verifier {
  private final SegmentFiles files;
  private final List<VerifyReport.Problem> problems = new ArrayList<>();
  private long records;
  private long bytes;

  /** A writer runs: the newest segment's last record may be half-written right now. */
  private boolean liveWriter;

  Verifier(SegmentFiles files) {
    this.files = files;
  }

  /**
   * Tells the verifier a writer has the store open: an unfinished record or batch at the very end
   * of the newest segment is then its append in progress, not a torn tail, and is not reported.
   */
  Verifier besideLiveWriter(boolean live) {
    this.liveWriter = live;
    return this;
  }

  VerifyReport run() throws IOException {
    return run(StoreEntries.scan(files.storage(), files.dir()));
  }

  /** Checks the segments and hints {@code entries} lists (a live store's: what a reader may map). */
  VerifyReport run(StoreEntries entries) throws IOException {
    List<Integer> ids = new ArrayList<>(entries.segments);
    Map<Integer, Boolean> hints = new HashMap<>();
    for (int id : entries.hints) {
      hints.put(id, true);
    }
    for (String name : entries.segmentNamedNotFiles) {
      problems.add(new VerifyReport.Problem(files.dir().resolve(name), 0,
          "named like a segment but not a regular file (not read; move it out of the store directory)"));
    }
    Collections.sort(ids);
    for (int i = 0; i < ids.size(); i++) {
      verifySegment(ids.get(i), i == ids.size() - 1, hints.remove(ids.get(i)) != null);
    }
    for (int orphan : hints.keySet()) {
      problems.add(new VerifyReport.Problem(files.hintPath(orphan), 0, "hint file without its segment"));
    }
    return new VerifyReport(ids.size(), records, bytes, problems);
  }

  private void verifySegment(int id, boolean newest, boolean hasHint) throws IOException {
    Path path = files.segmentPath(id);
    long length = files.storage().size(path);
    ByteBuffer raw = files.readSteadyHeader(id);
    SegmentHeader.Problem headerProblem = SegmentHeader.check(raw);
    boolean tornSeal = headerProblem == SegmentHeader.Problem.BAD_CRC && SegmentHeader.tornSeal(raw, id, length);
    if (tornSeal) {
      // Its records are still checked: the segment had been forced before the seal was written.
      problems.add(new VerifyReport.Problem(path, SegmentFormat.H_FLAGS, "the header's seal mark was torn by a power"
          + " cut (bytes " + SegmentFormat.H_FLAGS + ".." + (SegmentFormat.HEADER_SIZE - 1) + "); opening the store"
          + " scans the segment and writes the header again"));
    } else if (headerProblem != null) {
      problems.add(new VerifyReport.Problem(path, 0, "segment header is invalid (" + headerProblem + ")"));
      return;
    }
    SegmentHeader header = tornSeal ? SegmentHeader.ofTornSeal(raw, 0) : SegmentHeader.decode(raw);
    if (header.id() != id) {
      problems.add(new VerifyReport.Problem(path, SegmentFormat.H_ID, "segment header names id " + header.id()));
    }
    int size = header.size();
    if (length < size) {
      problems.add(new VerifyReport.Problem(path, length, "file is " + length + " bytes but its header says "
          + size + " (truncated)"));
      size = (int) (length & ~7L);
    }
    Segment segment = files.open(id, size, false, Segment::unmap);
    try {
      HintFile.Contents hint = null;
      if (hasHint && !tornSeal) {
        String[] why = new String[1];
        hint = HintFile.decode(files.storage().readAll(files.hintPath(id)), id, header.createdMillis(),
            header.size(), why);
        if (hint == null) {
          problems.add(new VerifyReport.Problem(files.hintPath(id), 0, "hint file is unusable (" + why[0]
              + "); opening the store scans the segment instead"));
        }
      }
      SegmentScan scan = SegmentScan.of(segment, segment.size());
      // Every stretch of damage is reported, not only the first: the walk resumes at the next
      // sound record, so the records after it are checked too.
      HintFile.Contents synced = hint;
      SegmentWalk.walk(segment, segment.size(), new SegmentWalk.Listener() {
        @Override
        public void record(Segment seg, int offset, boolean crcOk) {
          if (crcOk) {
            records++;
            bytes += seg.recordSize(offset);
          }
        }

        @Override
        public void damaged(int offset, int resumesAt, int garbageEnd, String problem) {
          boolean maybeTorn = newest && resumesAt < 0 && (synced == null || offset >= synced.dataEnd());
          if (maybeTorn && liveWriter) {
            return; // the writer's append in progress
          }
          problems.add(new VerifyReport.Problem(path, offset, problem + (maybeTorn
              ? " (in the newest segment, past what was synced at close: an unsynced torn tail, which opening"
                  + " the store cuts, or damage)" : "")));
        }

        @Override
        public void end(int offset, boolean endMarker) {
        }
      });
      if (scan.stop == RecordScanner.Stop.END && scan.uncommitted > 0 && !(newest && liveWriter)) {
        problems.add(new VerifyReport.Problem(path, scan.committedEnd, "an unfinished batch"
            + (newest ? " (in the newest segment: an unsynced torn tail, which opening the store cuts)" : "")));
      }
      if (hint != null) {
        verifyHint(segment, hint, scan);
      }
    } finally {
      segment.retire(false);
    }
  }

  private void verifyHint(Segment segment, HintFile.Contents hint, SegmentScan scan) {
    Path hintPath = files.hintPath(segment.id());
    List<HintFile.Entry> listed = hint.inRecordOrder();
    // A hint describes a prefix of the segment: every entry must match the record scanned there.
    for (int i = 0; i < listed.size(); i++) {
      HintFile.Entry h = listed.get(i);
      if (!scan.clean() && h.offset() >= scan.committedEnd) {
        return; // past damage already reported: the records there cannot be compared
      }
      HintFile.Entry s = i < scan.entries.size() ? scan.entries.get(i) : null;
      if (s == null || s.offset() != h.offset() || s.sequence() != h.sequence() || s.type() != h.type()
          || s.bodyLength() != h.bodyLength() || s.flags() != h.flags() || s.expiresAt() != h.expiresAt()
          || !java.util.Arrays.equals(s.key(), h.key())) {
        problems.add(new VerifyReport.Problem(hintPath, h.offset(), "hint entry " + i
            + " does not match the record at offset " + h.offset() + " of " + segment.path().getFileName()));
        return;
      }
    }
  }
}
