package dev.sett.core;

import dev.sett.api.RepairReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * {@link Repair} of one segment file. Walks it with {@link SegmentWalk}, keeping the records of
 * every write that is whole and sound: a write (one record, or every record of a batch, which share a
 * sequence number) that lost any record to damage is dropped whole, as an open would. Then:
 * <ul>
 *   <li>nothing dropped and the file whole: only the hint file is checked;</li>
 *   <li>everything dropped lies after the last kept record: that tail is zeroed in place and forced
 *       (what recovery does to a torn tail of the newest segment);</li>
 *   <li>otherwise (damage with sound records after it, a damaged header, a truncated file): the kept
 *       records are copied into {@code NNNNNNNNNN.seg.tmp} at their new offsets (durable end and
 *       checksum recomputed, previous-version pointers kept: an open never follows a pointer written
 *       before it), under a header with a new creation time so that no old hint matches it; the file
 *       is forced, the old hint deleted, the file renamed over the segment and the directory synced.
 *       A crash before the rename leaves the old segment and a temporary file, which the next open
 *       deletes.</li>
 * </ul>
 * A hint that does not match the result is rebuilt (sealed segments) or deleted (the newest, which
 * an open scans). Single-threaded.
 */
final class SegmentRepair implements SegmentWalk.Listener {
  private static final int CHUNK = 1 << 20;

  private final Repair repair;
  private final Storage storage;
  private final Path dir;
  private final int id;
  private final boolean newest;
  private final boolean hasHint;
  private final Path path;
  private final List<Integer> kept = new ArrayList<>();
  private final List<Integer> pending = new ArrayList<>();
  private final List<Integer> rest = new ArrayList<>();
  private int keptEnd = SegmentFormat.HEADER_SIZE;
  private int firstDropped = Integer.MAX_VALUE;
  private int zeroTo = SegmentFormat.HEADER_SIZE;
  private long brokenSequence = -1;
  private int badRecord = -1;
  private Segment segment;

  SegmentRepair(Repair repair, Path dir, int id, boolean newest, boolean hasHint) {
    this.repair = repair;
    this.storage = repair.storage();
    this.dir = dir;
    this.id = id;
    this.newest = newest;
    this.hasHint = hasHint;
    this.path = dir.resolve(SegmentFormat.segmentFileName(id));
  }

  void run() throws IOException {
    long fileLength = storage.size(path);
    ByteBuffer raw = ByteBuffer.allocate(SegmentFormat.HEADER_SIZE);
    raw.put(storage.read(path, 0, SegmentFormat.HEADER_SIZE)).clear();
    SegmentHeader.Problem problem = SegmentHeader.check(raw);
    SegmentHeader header = problem == null ? SegmentHeader.decode(raw) : null;
    int minSize = SegmentFormat.HEADER_SIZE + SegmentFormat.RECORD_HEADER_SIZE;
    String headerProblem = problem != null ? "its header is invalid (" + problem + ")"
        : header.id() != id ? "its header names segment " + header.id()
        : header.size() < minSize || header.size() > Repair.maxSegmentSize()
            ? "its header gives an impossible size " + header.size() : null;
    int size = headerProblem == null ? header.size() : (int) Math.min(fileLength & ~7L, Repair.maxSegmentSize());
    int mapSize = (int) (Math.min(size, fileLength) & ~7L);
    if (size < minSize || mapSize < SegmentFormat.HEADER_SIZE) {
      moveAside(fileLength, headerProblem != null ? headerProblem : "it is shorter than a segment header");
      return;
    }
    segment = new Segment(id, path, storage.map(path, mapSize, true), SegmentFormat.HEADER_SIZE, Segment::unmap);
    try {
      SegmentWalk.walk(segment, mapSize, this);
      boolean truncated = fileLength < size;
      if (truncated && !newest) {
        repair.drop(new RepairReport.Dropped(path, fileLength, size, 0, List.of(), "the file ends at offset "
            + fileLength + " but its header says " + size + " bytes: whatever was written past the end is lost"));
      }
      boolean moved = !kept.isEmpty() && kept.get(kept.size() - 1) > firstDropped;
      List<HintFile.Entry> entries;
      long created;
      int dataEnd;
      boolean changed;
      if (headerProblem != null || truncated || moved) {
        created = Math.max(System.currentTimeMillis(), header == null ? 0 : header.createdMillis() + 1);
        entries = new ArrayList<>();
        dataEnd = rewrite(size, created, entries, headerProblem != null ? headerProblem + ", rebuilt from the"
            + " file's name and length" : truncated ? "the file was " + fileLength + " of its " + size + " bytes"
            : "damage in the middle");
        changed = true;
      } else {
        created = header.createdMillis();
        entries = entriesInPlace();
        dataEnd = keptEnd;
        changed = zeroTo > keptEnd;
        if (changed) {
          cutTail();
        }
      }
      fixHint(entries, created, size, dataEnd, changed);
    } finally {
      segment.retire(false);
    }
  }

  // ---- the walk ----------------------------------------------------------------------------------

  @Override
  public void record(Segment s, int off, boolean crcOk) {
    if (!crcOk) {
      badRecord = off;
      return;
    }
    long seq = s.sequence(off);
    boolean commit = (s.flags(off) & SegmentFormat.FLAG_COMMIT) != 0;
    if (brokenSequence >= 0 && seq == brokenSequence) {
      rest.add(off);
      if (commit) {
        dropRest(off + s.recordSize(off));
      }
      return;
    }
    if (!rest.isEmpty()) {
      dropRest(off);
    }
    brokenSequence = -1;
    pending.add(off);
    if (commit) {
      kept.addAll(pending);
      pending.clear();
      keptEnd = off + s.recordSize(off);
    }
  }

  @Override
  public void damaged(int offset, int resumesAt, int garbageEnd, String problem) {
    List<Integer> lost = new ArrayList<>(pending);
    if (badRecord == offset) {
      lost.add(offset);
    }
    badRecord = -1;
    if (!rest.isEmpty()) {
      dropRest(offset);
    }
    brokenSequence = lost.isEmpty() ? -1 : segment.sequence(lost.get(0));
    int from = pending.isEmpty() ? offset : pending.get(0);
    String why = problem + " at offset " + offset + (resumesAt < 0 ? ", with nothing sound after it"
        : ", the next sound record is at offset " + resumesAt)
        + (pending.isEmpty() ? "" : "; the " + pending.size() + " earlier record(s) of the same write go with it");
    drop(from, garbageEnd, lost, why);
    pending.clear();
  }

  @Override
  public void end(int offset, boolean endMarker) {
    if (!rest.isEmpty()) {
      dropRest(offset);
    }
    if (!pending.isEmpty()) {
      drop(pending.get(0), offset, new ArrayList<>(pending), "a write whose last record never came"
          + " (interrupted; an open ignores it)");
      pending.clear();
    }
  }

  private void dropRest(int to) {
    drop(rest.get(0), to, new ArrayList<>(rest), "the rest of a write (sequence " + brokenSequence
        + ") that lost records to the damage before it");
    rest.clear();
    brokenSequence = -1;
  }

  private void drop(int from, int to, List<Integer> records, String why) {
    List<byte[]> keys = new ArrayList<>();
    for (int off : records) {
      keys.add(segment.copyKey(off));
    }
    firstDropped = Math.min(firstDropped, from);
    zeroTo = Math.max(zeroTo, to);
    repair.drop(new RepairReport.Dropped(path, from, to, records.size(), keys, why));
  }

  // ---- the changes -------------------------------------------------------------------------------

  private List<HintFile.Entry> entriesInPlace() {
    List<HintFile.Entry> entries = new ArrayList<>(kept.size());
    for (int off : kept) {
      entries.add(new HintFile.Entry(off, segment.bodyLength(off), segment.sequence(off), segment.type(off),
          segment.flags(off), segment.copyKey(off), segment.expiresAt(off)));
    }
    return entries;
  }

  private void cutTail() throws IOException {
    repair.act(path, "cut the damaged tail: zeroed offsets " + keptEnd + ".." + zeroTo + " (" + (zeroTo - keptEnd)
        + " bytes) after the last sound write");
    if (repair.dryRun()) {
      return;
    }
    for (int o = keptEnd; o < zeroTo; o += CHUNK) {
      storage.writeAt(path, o, ByteBuffer.allocate(Math.min(CHUNK, zeroTo - o)));
    }
    storage.force(path);
  }

  /** Copies the kept records into a new file and swaps it in; returns the new data end. */
  private int rewrite(int size, long created, List<HintFile.Entry> entries, String why) throws IOException {
    Path tmp = dir.resolve(SegmentFormat.segmentFileName(id) + SegmentFormat.TEMP_SUFFIX);
    if (!repair.dryRun()) {
      storage.delete(tmp);
      // The segment's own version: the records are copied as they are.
      storage.createFilled(tmp, new SegmentHeader(segment.formatVersion(), id, size, created).encode(), size);
    }
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    int bufferAt = SegmentFormat.HEADER_SIZE;
    int pos = SegmentFormat.HEADER_SIZE;
    CRC32C crc = new CRC32C();
    for (int off : kept) {
      int kl = segment.keyLength(off);
      int vl = segment.bodyLength(off);
      byte[] rec = new byte[SegmentFormat.recordSize(kl, vl)];
      segment.region().read(off, rec, 0, SegmentFormat.RECORD_HEADER_SIZE + kl + vl);
      ByteBuffer r = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
      r.putInt(SegmentFormat.R_DURABLE_END, pos);
      crc.reset();
      crc.update(rec, 4, SegmentFormat.RECORD_HEADER_SIZE - 4 + kl + vl);
      r.putInt(SegmentFormat.R_CRC, (int) crc.getValue());
      entries.add(new HintFile.Entry(pos, vl, segment.sequence(off), segment.type(off), segment.flags(off),
          segment.copyKey(off), segment.expiresAt(off)));
      if (buffer.position() + rec.length > buffer.capacity()) {
        bufferAt = flush(tmp, buffer, bufferAt);
      }
      if (rec.length > buffer.capacity()) {
        if (!repair.dryRun()) {
          storage.writeAt(tmp, pos, ByteBuffer.wrap(rec));
        }
        bufferAt = pos + rec.length;
      } else {
        buffer.put(rec);
      }
      pos += rec.length;
    }
    flush(tmp, buffer, bufferAt);
    repair.act(path, "rewrote it with its " + kept.size() + " sound record(s) (" + why + "): a new file"
        + " forced and renamed over it");
    if (!repair.dryRun()) {
      storage.force(tmp);
      storage.delete(dir.resolve(SegmentFormat.hintFileName(id)));
      storage.rename(tmp, path);
    }
    return pos;
  }

  private int flush(Path tmp, ByteBuffer buffer, int at) throws IOException {
    buffer.flip();
    int n = buffer.remaining();
    if (n > 0 && !repair.dryRun()) {
      storage.writeAt(tmp, at, buffer);
    }
    buffer.clear();
    return at + n;
  }

  private void fixHint(List<HintFile.Entry> entries, long created, int size, int dataEnd, boolean changed)
      throws IOException {
    Path hintPath = dir.resolve(SegmentFormat.hintFileName(id));
    String why = null;
    if (hasHint && !changed) {
      String[] problem = new String[1];
      HintFile.Contents hint = HintFile.decode(storage.readAll(hintPath), id, created, size, problem);
      why = hint == null ? problem[0] : mismatch(hint, entries);
      if (why == null) {
        return;
      }
    } else if (hasHint) {
      why = "the segment changed";
    } else if (!changed || newest) {
      return;
    }
    if (newest) {
      repair.act(hintPath, "deleted the hint of the newest segment (" + why + "); an open scans the segment");
      if (!repair.dryRun()) {
        storage.delete(hintPath);
        storage.syncDirectory(dir);
      }
      return;
    }
    repair.act(hintPath, (hasHint ? "rebuilt the hint file (" + why + ")" : "wrote a hint file for the"
        + " rewritten segment") + " from its " + entries.size() + " record(s)");
    if (!repair.dryRun()) {
      storage.writeAtomically(hintPath, HintFile.pieces(id, created, dataEnd, entries));
    }
  }

  /** Why a sound hint does not describe a prefix of {@code entries}, or null if it does. */
  private static String mismatch(HintFile.Contents hint, List<HintFile.Entry> entries) {
    List<HintFile.Entry> listed = hint.inRecordOrder();
    if (listed.size() > entries.size()) {
      return "it lists " + listed.size() + " records, the segment has " + entries.size();
    }
    for (int i = 0; i < listed.size(); i++) {
      HintFile.Entry h = listed.get(i);
      HintFile.Entry s = entries.get(i);
      if (h.offset() != s.offset() || h.sequence() != s.sequence() || h.type() != s.type()
          || h.bodyLength() != s.bodyLength() || h.flags() != s.flags() || h.expiresAt() != s.expiresAt()
          || !Arrays.equals(h.key(), s.key())) {
        return "entry " + i + " does not match the record at offset " + h.offset();
      }
    }
    HintFile.Entry last = listed.isEmpty() ? null : listed.get(listed.size() - 1);
    int end = last == null ? SegmentFormat.HEADER_SIZE
        : last.offset() + SegmentFormat.recordSize(last.key().length, last.bodyLength());
    return end == hint.dataEnd() ? null : "its data end " + hint.dataEnd() + " is not where its last record ends";
  }

  private void moveAside(long fileLength, String why) throws IOException {
    Path aside = dir.resolve(SegmentFormat.segmentFileName(id) + ".damaged");
    repair.act(path, "moved aside to " + aside.getFileName() + ": " + why + " and no record can be read from it");
    repair.drop(new RepairReport.Dropped(path, 0, fileLength, 0, List.of(), why + "; the whole file (kept as "
        + aside.getFileName() + ")"));
    if (!repair.dryRun()) {
      storage.rename(path, aside);
      if (hasHint) {
        storage.delete(dir.resolve(SegmentFormat.hintFileName(id)));
        storage.syncDirectory(dir);
      }
    }
  }
}
