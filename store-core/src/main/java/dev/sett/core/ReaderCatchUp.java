package dev.sett.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Brings one generation of a {@link ReadOnlyStore} up to what the live writer has committed since,
 * in place, instead of opening a new generation: the rest of the segment that was newest, then the
 * segments the writer rolled to since, oldest first, each record applied to the index as the
 * writer applied it. A refresh then costs what was appended, not an open of the whole store (at ten
 * million keys an open takes seconds).
 *
 * <p>Only for appends. The caller checked that the writer retired nothing since the generation was
 * opened (its retired set's generation did not move) and that every segment it lists now is one
 * the generation maps or a newer one; compaction's copies are appends too. So the records come in
 * the order the writer wrote them, and each record is its key's newest so far: a compaction copy
 * always follows the record it copies and precedes any newer write of its key (the writer copies a
 * record only while the index still points at it). Records keep their previous-version pointers,
 * which point into segments the generation maps (nothing was retired), so a snapshot taken before
 * the catch-up still reads what it read: it follows them back past the new records.
 *
 * <p>Only whole batches are taken (a batch counts with its last record), and the new records become
 * visible all at once, when the generation's sequence moves at the end. A segment that does not
 * end cleanly although the writer has moved past it, or a new segment whose header does not check,
 * stops the catch-up (false): what it applied stays invisible (newer than the generation's
 * sequence), and the caller opens a new generation, whose recovery reports what it finds.
 *
 * <p>Runs under the generation's write lock (which nothing else takes in a read-only store but
 * stats), beside lock-free reads, as the writer's appends do.
 */
final class ReaderCatchUp {
  private ReaderCatchUp() {
  }

  /**
   * @param added the ids of the segments the writer created since, ascending, all newer than the
   *     generation's newest; announced by the caller before this maps them
   * @return true if the generation now holds everything committed in its segments and
   *     {@code added}; false if it must be replaced by a new generation
   */
  static boolean run(SegmentFiles files, KeyIndex index, Writer writer, Segment.Disposer disposer,
      List<Integer> added) throws IOException {
    writer.lock().lock();
    try {
      long newest = writer.lastSequence();
      Segment segment = writer.active();
      SegmentScan rest = SegmentScan.of(segment, segment.end(), segment.size());
      if (!added.isEmpty() && !rest.clean()) {
        return false; // the writer moved on from it: it should end cleanly
      }
      newest = Math.max(newest, apply(index, segment, rest));
      for (int i = 0; i < added.size(); i++) {
        int id = added.get(i);
        ByteBuffer raw = files.readSteadyHeader(id);
        if (SegmentHeader.check(raw) != null) {
          return false;
        }
        SegmentHeader header = SegmentHeader.decode(raw);
        if (header.id() != id || files.storage().size(files.segmentPath(id)) < header.size()) {
          return false;
        }
        segment = files.open(id, header.size(), false, disposer);
        writer.adoptNewest(segment);
        SegmentScan scan = SegmentScan.of(segment, SegmentFormat.HEADER_SIZE, segment.size());
        if (i < added.size() - 1 && !scan.clean()) {
          return false;
        }
        newest = Math.max(newest, apply(index, segment, scan));
      }
      writer.publishCaughtUp(newest);
      return true;
    } finally {
      writer.lock().unlock();
    }
  }

  /** Applies the committed records {@code scan} found, as the writer did; returns the highest sequence. */
  private static long apply(KeyIndex index, Segment segment, SegmentScan scan) {
    // The data first, then the index entries that lead to it, as the writer publishes an append.
    segment.setEnd(scan.committedEnd);
    segment.setDurableEnd(scan.committedEnd);
    long newest = 0;
    HintEntries entries = scan.entries;
    for (int i = 0; i < entries.size(); i++) {
      byte[] key = entries.key(i); // a copy, owned by the index from here on
      int size = SegmentFormat.recordSize(key.length, entries.bodyLength(i));
      int offset = entries.offset(i);
      index.update(key, KeyHash.hash(key), Position.of(segment.id(), offset), entries.type(i), size);
      long expiresAt = entries.expiresAt(i);
      if (expiresAt != SegmentFormat.NEVER) {
        segment.liveness().expires(offset, expiresAt, size);
      }
      newest = Math.max(newest, entries.sequence(i));
    }
    return newest;
  }
}
