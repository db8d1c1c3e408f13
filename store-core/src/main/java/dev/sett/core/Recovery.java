package dev.sett.core;

import dev.sett.api.CorruptionException;
import dev.sett.api.StoreOptions;
import dev.sett.api.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a store's state from its directory on open: maps every segment, loads each sealed
 * segment's index entries from its hint file (or scans it when the hint is missing or damaged), and
 * scans the newest segment.
 *
 * <p>Damage rules: a torn tail (a damaged or unfinished last write, with no record after it that
 * was written once the damaged bytes had been synced) is cut back to the last whole write and
 * zeroed. That holds for the newest segment, and for a sealed one when nothing written after it
 * shows that it had been synced: under {@code SyncMode.NONE} a power cut can come after a roll but
 * before the background force of the sealed segment, and then its unsynced tail is torn too. A
 * sealed segment had certainly been forced when a later segment has a hint (the sealer forces
 * segments in order before writing hints) or a record written after a force ({@code sync()} forces
 * older segments first). Any other damage fails the open with {@link CorruptionException} naming
 * the file and offset, unless {@link StoreOptions#salvage()} was asked for, in which case the
 * damaged part is dropped and logged. Read-only opens change nothing on disk.
 *
 * <p>Single-threaded: runs before the store is published.
 */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  /** What recovery found and did. */
  static final class Result {
    final List<String> actions = new ArrayList<>();
    Segment newest;
    int nextSegmentId = 1;
    long lastSequence;
  }

  private final SegmentFiles files;
  private final StoreOptions options;
  private final SegmentTable table;
  private final KeyIndex index;
  private final Segment.Disposer disposer;
  private final Result result = new Result();
  private final RecoveredEntries recovered;
  /**
   * Every hint is read into this buffer in turn: a fresh array per hint would be hundreds of
   * megabytes of new memory at ten million keys, and first touches of memory are what an open of a
   * large store spends most time on. A hint's contents are used up before the next one is read.
   */
  private byte[] hintBuffer = new byte[0];
  /** Sealed segments whose damage looks like a torn tail, until a later segment proves otherwise. */
  private final List<TornTail> tornSealed = new ArrayList<>();

  /** A torn tail found in a sealed segment: what to cut, and the hint entries of what stays. */
  private record TornTail(Segment segment, SegmentHeader header, int cut, int zeroTo, int damage, String problem,
      List<HintFile.Entry> entries) {
  }

  /** Off only in tests that compare a helped open with one that reads every hint itself. */
  static volatile boolean prefetchHints = true;

  /** Hints read and prepared on a second thread, when the store has several (see {@link HintPrefetch}). */
  private HintPrefetch prefetch;
  /** The current segment's prepared hint, while it is being recovered. */
  private HintPrefetch.Prepared prepared;

  /** A read-only open while a writer has the store open: see {@link #besideLiveWriter(boolean)}. */
  private boolean besideLiveWriter;

  /**
   * Tells recovery that a writer has the store open (this is a read-only open beside it): the end
   * of the newest segment is then an append in progress, which is cut without a word.
   */
  Recovery besideLiveWriter(boolean live) {
    this.besideLiveWriter = live && files.readOnly();
    return this;
  }

  Recovery(SegmentFiles files, StoreOptions options, SegmentTable table, KeyIndex index,
      Segment.Disposer disposer) {
    this.files = files;
    this.options = options;
    this.table = table;
    this.index = index;
    this.disposer = disposer;
    this.recovered = new RecoveredEntries(index);
  }

  Result run() throws IOException {
    return run(null);
  }

  /**
   * @param listed what the directory holds, or null to list it here; a read-only handle beside a
   *     live writer passes the segments it announced (see {@link ReaderRegistry})
   */
  Result run(StoreEntries listed) throws IOException {
    Storage storage = files.storage();
    StoreEntries entries = listed != null ? listed : StoreEntries.scan(storage, files.dir());
    for (String name : entries.segmentNamedNotFiles) {
      // Not readable as a segment, and never opened (a FIFO would block): a segment may have been
      // replaced by it, so the open fails rather than going on without it.
      damaged(files.dir().resolve(name), 0, "is named like a segment but is not a regular file (a directory,"
          + " a FIFO, a device or a dangling link); move it out of the store directory");
    }
    List<Integer> ids = new ArrayList<>(entries.segments);
    Set<Integer> hints = entries.hints;
    if (!files.readOnly()) {
      for (String name : entries.temporaries) {
        // A file being created or rewritten when the process stopped; its final version never
        // replaced anything, so it holds nothing that is needed.
        storage.delete(files.dir().resolve(name));
        note("deleted unfinished temporary file " + name);
      }
    }
    Collections.sort(ids);
    long expectedKeys = KeyEstimate.expectedKeys(files, ids, hints);
    // Started before the hash table is allocated (most of a second at ten million keys, touching
    // fresh memory), so that the first hints are ready when it is.
    prefetch = prefetchHints ? HintPrefetch.startIfWorthIt(files, ids, hints, expectedKeys) : null;
    try {
      index.beginRecovery(expectedKeys);
      for (int i = 0; i < ids.size(); i++) {
        int id = ids.get(i);
        boolean newest = i == ids.size() - 1;
        result.nextSegmentId = Math.max(result.nextSegmentId, id + 1);
        try {
          recoverSegment(id, newest, hints.contains(id));
        } finally {
          // Whatever recovery made of the segment, its prepared hint (kept while the segment was
          // recovered: a torn tail's entries are read from it) goes back to the helper.
          if (prepared != null) {
            prefetch.release(prepared);
            prepared = null;
          }
        }
      }
    } finally {
      if (prefetch != null) {
        prefetch.close();
      }
    }
    for (TornTail t : tornSealed) {
      cutSealedTail(t);
    }
    index.finishRecovery();
    result.lastSequence = recovered.lastSequence();
    return result;
  }

  private void recoverSegment(int id, boolean newest, boolean hasHint) throws IOException {
    Path path = files.segmentPath(id);
    Storage storage = files.storage();
    long fileLength = storage.size(path);
    ByteBuffer rawHeader = files.readSteadyHeader(id);
    SegmentHeader.Problem problem = SegmentHeader.check(rawHeader);
    if (problem == SegmentHeader.Problem.FUTURE_VERSION) {
      throw new UnsupportedFormatException(path, SegmentHeader.versionOf(rawHeader), SegmentFormat.VERSION);
    }
    boolean tornSeal = problem == SegmentHeader.Problem.BAD_CRC && SegmentHeader.tornSeal(rawHeader, id, fileLength);
    if (problem != null && !tornSeal) {
      if (newest && problem == SegmentHeader.Problem.ALL_ZERO && storage.allZero(path, 0, fileLength)) {
        // Created but never written: its header had not reached the disk before a crash.
        if (!files.readOnly()) {
          files.delete(id);
          note("deleted empty segment " + path.getFileName() + " left by an interrupted roll");
        }
        return;
      }
      damaged(path, 0, "segment header is invalid (" + problem + ")");
      note("skipped segment " + path.getFileName() + " with an invalid header (salvage)");
      return;
    }
    SegmentHeader header = tornSeal ? resealTornHeader(id, rawHeader) : SegmentHeader.decode(rawHeader);
    if (header.id() != id) {
      damaged(path, SegmentFormat.H_ID, "segment header names id " + header.id());
      return;
    }
    int size = header.size();
    if (size < SegmentFormat.HEADER_SIZE + SegmentFormat.RECORD_HEADER_SIZE || size > StoreOptions.MAX_SEGMENT_SIZE) {
      damaged(path, SegmentFormat.H_SIZE, "segment header has an impossible size " + size);
      return;
    }
    // A torn seal took the creation time that ties the hint to this file: the segment is scanned.
    HintFile.Contents hint = hasHint && !tornSeal ? loadHint(id, header) : null;
    if (hint != null || header.sealed()) {
      // The sealer marks a segment sealed and writes its hint only after forcing it, and forces
      // segments in order; a closing hint is written after every segment was forced.
      laterSegmentWasSynced();
    }
    if (newest && hint != null && fileLength < hint.dataEnd()) {
      // Checked before anything below restores the file's length: the hint was written when the
      // store was closed, after a force, so records it lists must be there.
      damaged(path, fileLength, "the file ends at offset " + fileLength + " but its hint, written when"
          + " the store was closed, lists records up to " + hint.dataEnd() + " (truncated after it was synced)");
      hint = null;
      if (!files.readOnly()) {
        // Salvage goes on: the file's length is restored below and its tail cut, so the hint would
        // pass this check next time and list zeros, and hide what is appended after the cut.
        storage.delete(files.hintPath(id));
        storage.syncDirectory(files.dir());
        note("deleted hint " + files.hintPath(id).getFileName() + ", which lists records that are gone (salvage)");
      }
    }
    int mapSize = size;
    if (fileLength < size) {
      if (newest && !files.readOnly()) {
        // The end of the newest file is missing (never synced): put the zeros back, the scan
        // below then cuts whatever record was cut off.
        files.writeZeros(path, fileLength, size);
        note("restored the missing end of " + path.getFileName() + " (" + (size - fileLength) + " bytes)");
      } else if (newest) {
        mapSize = (int) (fileLength & ~7L);
      } else {
        damaged(path, fileLength, "segment file is " + fileLength + " bytes but its header says " + size
            + " (truncated)");
        if (files.readOnly() || (fileLength & 7) == 0) {
          mapSize = (int) (fileLength & ~7L);
        } else {
          // Salvage: zeros up to the next 8-byte boundary, so that a record whose last byte survived
          // the cut is kept (a mapping rounded down would drop it); the scan stops there. The file
          // stays shorter than its header says, so the next open reports it again.
          mapSize = SegmentFormat.align8((int) fileLength);
          files.writeZeros(path, fileLength, mapSize);
          note("padded the cut end of " + path.getFileName() + " to " + mapSize + " bytes (salvage)");
        }
      }
    }
    if (hint != null && hint.dataEnd() > Math.min(mapSize, fileLength)) {
      // Salvaging a truncated file: the hint lists records that are gone (reading them would run
      // off the mapping); scan what is left instead, and delete the hint, or the next open (the
      // file's length restored) would trust it again.
      hint = null;
      if (!files.readOnly()) {
        storage.delete(files.hintPath(id));
        storage.syncDirectory(files.dir());
        note("deleted hint " + files.hintPath(id).getFileName() + ", which lists records past the cut (salvage)");
      }
    }
    boolean writable = newest && !files.readOnly();
    Segment segment = files.open(id, mapSize, writable, disposer);
    table.add(segment);
    if (newest) {
      result.newest = segment;
      recoverNewest(segment, hint);
    } else {
      recoverSealed(segment, header, hint);
    }
  }

  /**
   * A header whose seal mark a power cut tore ({@link SegmentHeader#tornSeal}): the sealer had
   * forced the segment before it wrote the mark, so it is sealed; a writable open writes the mark
   * again, with a new creation time (the old one is lost), before the hint is rebuilt against it.
   */
  private SegmentHeader resealTornHeader(int id, ByteBuffer rawHeader) throws IOException {
    SegmentHeader header = SegmentHeader.ofTornSeal(rawHeader, files.readOnly() ? 0 : System.currentTimeMillis());
    LOG.warn("Recovery: the seal mark in the header of {} was torn by a power cut; the segment had been forced"
        + " before it was written, and is scanned", files.segmentPath(id));
    if (!files.readOnly()) {
      files.writeSealed(id, header);
      note("rewrote the header of " + files.segmentPath(id).getFileName() + ", whose seal mark a power cut had torn");
    }
    return header;
  }

  /**
   * A sealed segment: its hint (if sound) lists a prefix of its records, usually all of them; the
   * rest is scanned, because a hint written when the store was closed can be older than appends
   * made after the next open (the sealer's fresh hint may not have been written before a crash).
   */
  private void recoverSealed(Segment segment, SegmentHeader header, HintFile.Contents hint) throws IOException {
    int from = hint == null ? SegmentFormat.HEADER_SIZE : hint.dataEnd();
    if (hint != null) {
      recovered.apply(segment, hint, prepared);
    }
    SegmentScan scan = SegmentScan.of(segment, from, segment.size());
    if (hint == null || !scan.entries.isEmpty()) {
      // Bytes after a hint that lists every record are never appended to again: nothing there can
      // come back, and an open does not read them.
      checkAfterEnd(segment, scan);
    }
    noteSyncEvidence(segment, scan);
    java.util.function.Supplier<List<HintFile.Entry>> all = () -> {
      List<HintFile.Entry> entries = new ArrayList<>(hint == null ? List.of() : hint.entries());
      entries.addAll(scan.entries);
      return entries;
    };
    segment.setEnd(scan.committedEnd);
    segment.setDurableEnd(scan.committedEnd);
    recovered.apply(segment, scan.entries);
    if (!scan.clean()) {
      int damage = scan.uncommitted > 0 ? scan.committedEnd : scan.stopOffset;
      int[] lastNonZero = new int[1];
      int later = SegmentScan.findSoundRecordAfter(segment, scan.stopOffset + 8, lastNonZero, damage);
      String problem = scan.uncommitted > 0 && scan.stop == RecordScanner.Stop.END
          ? "a sealed segment ends inside an unfinished batch" : scan.problem;
      if (header.sealed() || scan.stop == RecordScanner.Stop.DAMAGED && later >= 0) {
        damaged(segment.path(), damage, problem + (header.sealed()
            ? "; the segment had been forced to disk when it was sealed, so this is not a torn tail"
            : "; a record written after this data was synced follows at offset " + later + ", so this is not a torn tail"));
        note("dropped everything from offset " + damage + " of sealed segment " + segment.path().getFileName()
            + " (salvage)");
        return;
      }
      // Decided once the later segments have been read: see the class comment.
      tornSealed.add(new TornTail(segment, header, scan.committedEnd, Math.max(lastNonZero[0], scan.stopOffset),
          damage, problem, all.get()));
      return;
    }
    if (!files.readOnly() && (hint == null || !scan.entries.isEmpty())) {
      writeHint(segment, header, scan.committedEnd, all.get());
    }
  }

  /** A sealed segment's torn tail that nothing later contradicts: cut, zeroed, forced, hinted. */
  private void cutSealedTail(TornTail t) throws IOException {
    Segment segment = t.segment;
    String what = "cut the torn tail of sealed segment " + segment.path().getFileName() + " at offset " + t.cut
        + " (" + (t.zeroTo - t.cut) + " bytes, " + t.problem + "; no later write shows it had been synced)";
    LOG.warn("Recovery: {}", what);
    note(what);
    if (files.readOnly()) {
      return;
    }
    if (t.zeroTo > t.cut) {
      files.writeZeros(segment.path(), t.cut, t.zeroTo);
    }
    writeHint(segment, t.header, t.cut, t.entries);
  }

  /** Forces the segment, then writes its hint: a hint may only describe records that are on disk. */
  private void writeHint(Segment segment, SegmentHeader header, int dataEnd, List<HintFile.Entry> entries)
      throws IOException {
    Path hintPath = files.hintPath(segment.id());
    segment.force(files.storage());
    files.markSealed(segment.id());
    try {
      files.storage().writeAtomically(hintPath, HintFile.pieces(segment.id(), header.createdMillis(), dataEnd, entries));
    } catch (IOException e) {
      // A hint only saves the next open a scan; the store opens without it (for example when
      // something Sett did not write has the hint's name, which Sett never replaces).
      note("could not write hint file " + hintPath.getFileName() + " (" + e.getMessage() + "); the next open scans");
      return;
    }
    note("rebuilt hint file " + hintPath.getFileName());
  }

  /**
   * A scan that ended at zeros may have stopped at a sector a power cut lost, with later sectors of
   * the same unsynced writes on disk after it. Those bytes are a torn tail like any other: cut, or
   * reported when a record after them was written once they had been synced. Left in place, an
   * append ending exactly where one of those records starts would make it readable again, with what
   * is left of its batch (and in a sealed segment, records lost to damage after a sync would go
   * unreported). Read through the file, not the mapping, so that the empty end of a large newest
   * segment is not faulted into memory. Beside a live writer the bytes there are its append in
   * progress.
   */
  private void checkAfterEnd(Segment segment, SegmentScan scan) throws IOException {
    if (!scan.clean() || besideLiveWriter) {
      return;
    }
    long to = Math.min(segment.size(), files.storage().size(segment.path()));
    if (scan.stopOffset < to && !files.storage().allZero(segment.path(), scan.stopOffset, to)) {
      scan.dataAfterEnd();
    }
  }

  /**
   * A record written after its segment had been forced proves that every earlier segment had been
   * forced too ({@code sync()} forces older segments first), so their damage is not a torn tail.
   */
  private void noteSyncEvidence(Segment segment, SegmentScan scan) {
    for (int i = 0; i < scan.entries.size(); i++) {
      if (segment.durableEnd(scan.entries.offset(i)) > SegmentFormat.HEADER_SIZE) {
        laterSegmentWasSynced();
        return;
      }
    }
  }

  /** The segment being read was synced: the torn tails found before it were damage after all. */
  private void laterSegmentWasSynced() {
    for (TornTail t : tornSealed) {
      damaged(t.segment.path(), t.damage, t.problem + "; a later segment was synced after this data was written,"
          + " so this is not a torn tail");
      note("dropped everything from offset " + t.damage + " of sealed segment " + t.segment.path().getFileName()
          + " (salvage)");
    }
    tornSealed.clear();
  }

  /**
   * The segment's hint, or null (logged) if it is damaged or belongs to another file: as the helper
   * read and prepared it if it read the same segment header, else read here.
   */
  private HintFile.Contents loadHint(int id, SegmentHeader header) throws IOException {
    HintPrefetch.Prepared p = prefetch == null ? null : prefetch.take(id);
    HintPrefetch.LoadedHint loaded;
    if (p != null && p.loaded != null && header.equals(p.header)) {
      loaded = p.loaded;
      prepared = p;
    } else {
      if (p != null) {
        prefetch.release(p);
      }
      loaded = HintPrefetch.read(files, id, header, hintBuffer);
      hintBuffer = loaded.buffer();
    }
    if (loaded.contents() == null) {
      Path hintPath = files.hintPath(id);
      LOG.warn("Ignoring hint file {}: {}; scanning the segment instead", hintPath, loaded.problem());
      note("ignored damaged hint " + hintPath.getFileName() + " (" + loaded.problem() + ")");
      return null;
    }
    return loaded.contents();
  }

  /**
   * The newest segment may have a hint, written when the store was last closed: what it lists was
   * forced to disk, so only what follows it is scanned, and damage there can be a torn tail.
   */
  private void recoverNewest(Segment segment, HintFile.Contents closed) throws IOException {
    int from = closed == null ? SegmentFormat.HEADER_SIZE : closed.dataEnd();
    if (closed != null) {
      recovered.apply(segment, closed, prepared);
    }
    SegmentScan scan = SegmentScan.of(segment, from, segment.size());
    checkAfterEnd(segment, scan);
    noteSyncEvidence(segment, scan);
    int cut = scan.committedEnd;
    if (!scan.clean()) {
      int damage = scan.uncommitted > 0 ? scan.committedEnd : scan.stopOffset;
      int[] lastNonZero = new int[1];
      int later = SegmentScan.findSoundRecordAfter(segment, scan.stopOffset + 8, lastNonZero, damage);
      // Beside a live writer the record the scan stopped at is being written now (an append, or a
      // compaction copy), and records after it may have been written (and forced) while the scan
      // ran: a cut there is a consistent prefix, never evidence of damage.
      if (scan.stop == RecordScanner.Stop.DAMAGED && later >= 0 && !besideLiveWriter) {
        damaged(segment.path(), scan.stopOffset, scan.problem + "; a record written after this data"
            + " was synced follows at offset " + later + ", so this is not a torn tail");
      }
      int zeroTo = Math.max(lastNonZero[0], scan.stopOffset);
      if (!files.readOnly() && zeroTo > cut) {
        files.writeZeros(segment.path(), cut, zeroTo);
        files.storage().force(segment.path());
      }
      if (besideLiveWriter) {
        segment.setEnd(cut);
        segment.setDurableEnd(cut);
        recovered.apply(segment, scan.entries);
        return; // the writer's append in progress, not a torn tail: nothing to report
      }
      String what = "cut the torn tail of " + segment.path().getFileName() + " at offset " + cut
          + " (" + (zeroTo - cut) + " bytes" + (scan.uncommitted > 0 ? ", " + scan.uncommitted
          + " record(s) of an unfinished write" : "") + (scan.problem != null ? ", " + scan.problem : "") + ")";
      LOG.warn("Recovery: {}", what);
      note(what);
    }
    segment.setEnd(cut);
    if (!files.readOnly()) {
      // What this open recovered may have been in the page cache only (the previous process was
      // killed); force it so that sync() after open does not promise more than is on disk.
      segment.force(files.storage());
    }
    segment.setDurableEnd(cut);
    recovered.apply(segment, scan.entries);
  }

  private void damaged(Path file, long offset, String problem) {
    CorruptionException e = new CorruptionException(file, offset, problem);
    if (!options.salvage()) {
      throw e;
    }
    LOG.error("Salvage: {}", e.getMessage());
  }

  private void note(String action) {
    result.actions.add(action);
  }
}
